package providertest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a failure to inject into the next matching request(s). Fields
// combine: Latency delays whatever else happens; then Reset, Status,
// Truncate or CutBody decide the response (checked in that order); a Fault
// with only Latency serves the real response late.
type Fault struct {
	// Path restricts the fault to requests with this exact path. Empty
	// matches every request — except, on a Server, its own authorize, token
	// and revoke endpoints (target those by Path).
	Path string
	// Times is how many matching requests the fault applies to. Defaults
	// to 1.
	Times int
	// Latency delays the response (stopping early if the client goes away).
	Latency time.Duration
	// Reset drops the connection without a response (an RST where the
	// platform allows it).
	Reset bool
	// Status answers with this status instead of the real response, with
	// the vendor's error body (Vendor.ErrorBody) unless Body is set.
	Status int
	// RetryAfter, with Status 429 (or 503), sends the vendor's rate-limit
	// headers saying the window resets after this delay: Retry-After when
	// Vendor.RateLimit.RetryAfter, and Vendor.RateLimit.Reset.
	RetryAfter time.Duration
	// Body overrides the error body sent with Status.
	Body string
	// Header adds headers to the error response.
	Header http.Header
	// Truncate serves the real response with its full Content-Length but
	// closes the connection after half of the body: the client sees an
	// unexpected EOF.
	Truncate bool
	// CutBody serves only the first half of the real body as a complete,
	// well-formed HTTP response, as a broken proxy would: the client sees
	// JSON that ends too early.
	CutBody bool
}

// String describes the fault for the request log, e.g. "latency 1s, status 429".
func (f Fault) String() string {
	var parts []string
	if f.Latency > 0 {
		parts = append(parts, "latency "+f.Latency.String())
	}
	switch {
	case f.Reset:
		parts = append(parts, "reset")
	case f.Status != 0:
		parts = append(parts, "status "+strconv.Itoa(f.Status))
	case f.Truncate:
		parts = append(parts, "truncate")
	case f.CutBody:
		parts = append(parts, "cut body")
	}
	return strings.Join(parts, ", ")
}

// FaultHandler wraps any handler with on-demand fault injection, for
// end-to-end tests against servers that are not fixture replays (the demo
// provider's API, a syncer test's own handler). Server uses the same
// machinery. FaultHandler is safe for concurrent use.
type FaultHandler struct {
	vendor Vendor
	next   http.Handler
	exempt func(*http.Request) bool

	mu     sync.Mutex
	faults []Fault
}

// NewFaultHandler returns next wrapped with fault injection; v supplies the
// error bodies and rate-limit headers of injected errors.
func NewFaultHandler(v Vendor, next http.Handler) *FaultHandler {
	return &FaultHandler{vendor: v, next: next}
}

// Inject queues faults; each applies to the next request(s) it matches, in
// the order queued.
func (h *FaultHandler) Inject(faults ...Fault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, f := range faults {
		if f.Times <= 0 {
			f.Times = 1
		}
		h.faults = append(h.faults, f)
	}
}

// Clear drops every queued fault.
func (h *FaultHandler) Clear() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = nil
}

// Pending returns how many injections are still queued (a fault with Times
// n counts n).
func (h *FaultHandler) Pending() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, f := range h.faults {
		n += f.Times
	}
	return n
}

// take pops the first fault matching r.
func (h *FaultHandler) take(r *http.Request) (Fault, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, f := range h.faults {
		if f.Path == "" && h.exempt != nil && h.exempt(r) {
			continue
		}
		if f.Path != "" && f.Path != r.URL.Path {
			continue
		}
		h.faults[i].Times--
		if h.faults[i].Times <= 0 {
			h.faults = append(h.faults[:i], h.faults[i+1:]...)
		}
		return f, true
	}
	return Fault{}, false
}

// ServeHTTP implements http.Handler.
func (h *FaultHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := h.take(r)
	if !ok {
		h.next.ServeHTTP(w, r)
		return
	}
	applyFault(w, r, f, h.vendor, h.next.ServeHTTP)
}

// applyFault answers r according to f; serve produces the real response.
// It returns the status sent (0 for a reset).
func applyFault(w http.ResponseWriter, r *http.Request, f Fault, v Vendor, serve http.HandlerFunc) int {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return 0
		}
	}
	switch {
	case f.Reset:
		dropConn(w, true)
		return 0
	case f.Status != 0:
		writeError(w, v, f.Status, f.Body, f.Header, f.RetryAfter)
		return f.Status
	case f.Truncate || f.CutBody:
		rec := httptest.NewRecorder()
		serve(rec, r)
		body := rec.Body.Bytes()
		half := body[:len(body)/2]
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		if f.CutBody {
			w.Header().Set("Content-Length", strconv.Itoa(len(half)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(half)
			return rec.Code
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(half)
		dropConn(w, false)
		return rec.Code
	}
	rec := &statusRecorder{ResponseWriter: w}
	serve(rec, r)
	return rec.status()
}

// dropConn closes the client connection after flushing anything already
// written: with an RST when reset is set (a connection reset), with a
// normal close otherwise (a body that ends before its Content-Length).
func dropConn(w http.ResponseWriter, reset bool) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the handler, which resets the stream.
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// writeError writes the vendor's error response for status.
func writeError(w http.ResponseWriter, v Vendor, status int, body string, extra http.Header, retryAfter time.Duration) {
	if body == "" {
		body = v.errorBody(status)
	}
	h := w.Header()
	if retryAfter > 0 {
		now := time.Now()
		if v.RateLimit.RetryAfter {
			h.Set("Retry-After", strconv.Itoa(int((retryAfter+time.Second-1)/time.Second)))
		}
		for k, vs := range v.RateLimit.Headers(v.Quota.Requests, 0, now.Add(retryAfter), now) {
			h[k] = vs
		}
	}
	for k, vs := range extra {
		h[k] = vs
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func (v Vendor) errorBody(status int) string {
	if v.ErrorBody != nil {
		return v.ErrorBody(status)
	}
	return fmt.Sprintf(`{"error":%q}`, strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")))
}

// statusRecorder remembers the status written through it.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) status() int { return s.code }

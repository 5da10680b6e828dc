package providertest

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/wearables-go/wearables"
)

// update is the -update flag of every test binary that imports the kit:
// `go test ./providers/oura -update` rewrites oura's golden files. A
// program running Check outside go test gets it on flag.CommandLine too.
var update = flag.Bool("update", false, "providertest: rewrite golden files from the provider's current output")

// Updating reports whether the test binary runs with -update, for vendor
// packages that regenerate other testdata alongside the goldens (the demo
// provider re-records its fixtures). The kit registers -update on
// flag.CommandLine, so a test package importing it must not declare its
// own -update flag (the flag package would panic); call Updating instead.
func Updating() bool { return *update }

// Env is what a provider under test needs to talk to the fake server.
type Env struct {
	// URL is the fake server's base URL (no trailing slash). Use it for the
	// API base URL (plus the vendor's path prefix, if its real base URL has
	// one), the authorize URL (URL + Vendor.AuthorizePath) and the token URL
	// (URL + Vendor.TokenPath).
	URL string
	// ClientID and ClientSecret are the OAuth client credentials the fake
	// server accepts.
	ClientID, ClientSecret string
	// WebhookSecret is the secret webhooks are signed with when the vendor
	// signs with a secret of its own (Webhook.UsesClientSecret false).
	WebhookSecret string
	// HTTPClient is a plain client for the server, without a token.
	HTTPClient *http.Client
}

// Suite is one provider's conformance run: how to build it against the
// fake server, how its vendor behaves, and its recorded fixtures.
type Suite struct {
	// NewProvider builds the provider under test configured against env:
	// base URLs from env.URL, credentials from env. Required.
	NewProvider func(env Env) (wearables.Provider, error)
	// Vendor describes the vendor's behaviour for the fake server.
	Vendor Vendor
	// Fixtures declares the recorded payloads and goldens.
	Fixtures Fixtures
	// Update rewrites golden files instead of comparing them, as the
	// -update flag does.
	Update bool
	// Backfills are recorded answers to wearables.BackfillRequester, each
	// served by a Static fixture; required when the provider implements it
	// (see BackfillCase).
	Backfills []BackfillCase
	// FollowWebhookWindows makes the Push check fetch the window every
	// webhook event announces without carrying records (Garmin pings,
	// Withings notifications): the fixtures must answer those requests.
	FollowWebhookWindows bool
}

// Run runs the conformance kit as subtests of t:
//
//   - DataTypes: the provider declares data types, and every one has a case;
//   - OAuth: its OAuthSpec points at the vendor's endpoints with the vendor's
//     client auth style and PKCE, a full authorize → code exchange works,
//     and ProviderUserID (if implemented) reads the recorded account id;
//   - Fetch/<case>: every page chain is followed to its end and no further,
//     and the normalized records and rejections equal the golden file
//     (compared as JSON values, instants as instants; -update rewrites it);
//     the records validate and carry the provider's id;
//   - Idempotent/<case>: fetching the same window again yields identical
//     records (deterministic ids, order and values);
//   - Faults/<case>/…: a 401 triggers exactly one refresh and one retry
//     (and an error matching wearables.ErrUnauthorized if it persists, with
//     still one refresh); a 429 surfaces wearables.ErrRateLimited with the
//     Retry-After and reset headers parsed; 500/503 give a
//     *wearables.ProviderError that is Temporary; truncated and cut bodies
//     and connection resets give errors; a slow vendor honours the
//     context deadline; none of them yields records;
//   - Revoke: Revoke (if implemented) revokes the token at the vendor;
//   - Webhooks/<vector>/…: VerifyWebhook accepts the validly signed vectors
//     and rejects a tampered body, a wrong secret, a stale timestamp and
//     each missing header; ParseWebhook's events equal the golden file and
//     carry a dedupe key;
//   - Push/<vector>: records a webhook carries inline validate, carry the
//     provider's id and are plausible; announced windows are fetched when
//     Suite.FollowWebhookWindows is set;
//   - Backfill/<case>: RequestBackfill (if implemented) returns each
//     recorded answer's error, and survives a 401, 429 and 500.
//
// The checks share one fake server and run sequentially.
func Run(t *testing.T, s Suite) {
	t.Helper()
	s.run(goTest{t})
}

// Check runs the same checks as Run outside go test — in a program, a CLI,
// a CI step — and returns the report. It never calls os.Exit.
func Check(s Suite) *Report {
	rep := &Report{}
	root := &recorder{report: rep}
	root.run("Conformance", s.run)
	return rep
}

// Report is the outcome of Check.
type Report struct {
	mu      sync.Mutex
	Results []Result
}

// Result is the outcome of one check. Results are listed as checks finish,
// so a parent follows its subchecks.
type Result struct {
	// Name is the slash-separated check name, e.g.
	// "Conformance/Fetch/sleep".
	Name    string
	Failed  bool
	Skipped bool
	// Log holds the check's failure messages and logs.
	Log []string
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool {
	for _, res := range r.Results {
		if res.Failed {
			return true
		}
	}
	return false
}

// Failures returns the results of the failed checks.
func (r *Report) Failures() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Failed {
			out = append(out, res)
		}
	}
	return out
}

// WriteTo writes the report in go test -v style.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	for _, res := range r.Results {
		status := "PASS"
		switch {
		case res.Failed:
			status = "FAIL"
		case res.Skipped:
			status = "SKIP"
		}
		depth := strings.Count(res.Name, "/")
		fmt.Fprintf(&b, "%s--- %s: %s\n", strings.Repeat("    ", depth), status, res.Name)
		for _, l := range res.Log {
			for _, line := range strings.Split(strings.TrimRight(l, "\n"), "\n") {
				fmt.Fprintf(&b, "%s    %s\n", strings.Repeat("    ", depth), line)
			}
		}
	}
	if r.Failed() {
		b.WriteString("FAIL\n")
	} else {
		b.WriteString("PASS\n")
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func (r *Report) add(res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Results = append(r.Results, res)
}

// tester is what the checks need from *testing.T; both go test and Check
// provide it. It satisfies testify's require.TestingT.
type tester interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
	Failed() bool
	Logf(format string, args ...any)
	Skipf(format string, args ...any)
	run(name string, f func(t tester)) bool
}

// goTest adapts *testing.T.
type goTest struct{ *testing.T }

func (g goTest) run(name string, f func(t tester)) bool {
	g.Helper()
	return g.T.Run(name, func(t *testing.T) { f(goTest{t}) })
}

// recorder runs checks outside go test, recording results.
type recorder struct {
	name   string
	report *Report

	mu      sync.Mutex
	failed  bool
	skipped bool
	log     []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	r.log = append(r.log, fmt.Sprintf(format, args...))
}

func (r *recorder) FailNow() {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *recorder) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, fmt.Sprintf(format, args...))
}

func (r *recorder) Skipf(format string, args ...any) {
	r.mu.Lock()
	r.skipped = true
	r.log = append(r.log, fmt.Sprintf(format, args...))
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) run(name string, f func(t tester)) bool {
	full := name
	if r.name != "" {
		full = r.name + "/" + name
	}
	child := &recorder{name: full, report: r.report}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				child.Errorf("panic: %v", p)
			}
		}()
		f(child)
	}()
	<-done
	child.mu.Lock()
	res := Result{Name: full, Failed: child.failed, Skipped: child.skipped && !child.failed, Log: child.log}
	child.mu.Unlock()
	r.report.add(res)
	if res.Failed {
		r.mu.Lock()
		r.failed = true
		r.mu.Unlock()
	}
	return !res.Failed
}

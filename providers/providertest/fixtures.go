package providertest

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// Fixtures declares a vendor package's recorded testdata: which raw vendor
// payloads answer which requests, and which golden file each window of data
// must normalize to. Files are read from FS (or Dir); goldens are written
// into Dir when the kit runs with -update.
//
// Raw payload files hold exactly what the vendor sent, byte for byte: its
// field names, ids as strings or ints, nulls, local offsets, page tokens.
type Fixtures struct {
	// Dir is the fixture directory on disk, usually "testdata". Goldens are
	// written here by -update.
	Dir string
	// FS, when set, is where files are read from (an embed.FS for a program
	// that runs the kit outside go test); defaults to os.DirFS(Dir).
	FS fs.FS
	// ProviderUserID is the vendor's id of the recorded account. The kit
	// puts it on the Connection it fetches for and expects
	// ProviderUserIDReader (when implemented) to return it.
	ProviderUserID string
	// Cases are the recorded windows of data, at least one per data type
	// the provider declares.
	Cases []Case
	// Static are the other recorded responses the provider needs: the user
	// profile for ProviderUserID, detail calls made while fetching a page
	// (Strava's /activities/{id}), resources named in webhook bodies.
	Static []Static
	// Webhooks are recorded webhook bodies. Required when the provider
	// implements wearables.WebhookHandler.
	Webhooks []WebhookVector
}

// Case is one recorded window of one data type: the request the provider
// must send for its first page, and the chain of pages the vendor answered.
type Case struct {
	// Name names the case in test output and defaults the golden file.
	// Defaults to the data type; must be unique.
	Name string
	// DataType is the feed fetched, one of the provider's DataTypes.
	DataType wearables.DataType
	// Start and End are the window passed in wearables.FetchRequest.
	Start, End time.Time
	// Method of the vendor's request. Defaults to GET.
	Method string
	// Path is the vendor's real path, e.g. "/v2/usercollection/sleep".
	Path string
	// Query lists the parameters every page request must carry with these
	// exact values (the window, a limit …); other parameters are allowed.
	// Form-encoded POST bodies are matched too.
	Query map[string]string
	// Pages is the chain of recorded responses, first page first.
	Pages []Page
	// Golden is the file holding the expected normalized output, relative
	// to Dir. Defaults to Name + ".golden.json".
	Golden string
}

// Page is one recorded response of a Case.
type Page struct {
	// File is the raw response body, relative to Dir.
	File string
	// Token is the value of Vendor.Pagination.Param that requests this
	// page, as the previous page announced it; empty for the first page.
	Token string
	// Status defaults to 200.
	Status int
	// Header holds recorded response headers (a Link header, a content
	// type). Content-Type defaults to application/json.
	Header map[string]string
}

// Static is one recorded response served at a fixed request.
type Static struct {
	// Method defaults to GET.
	Method string
	// Path is the vendor's real path.
	Path string
	// Query lists parameters the request must carry with these values.
	Query map[string]string
	// File is the body, relative to Dir; empty means an empty body.
	File string
	// Status defaults to 200.
	Status int
	// Header holds response headers; Content-Type defaults to
	// application/json when File is set.
	Header map[string]string
	// Public is true when the route needs no bearer token.
	Public bool
}

// WebhookVector is one recorded webhook request body.
type WebhookVector struct {
	// Name names the vector; defaults to File without its extension.
	Name string
	// File is the raw body, relative to Dir.
	File string
	// Header holds recorded headers sent as they are instead of signing
	// the body with Vendor.Webhook.Sign.
	Header map[string]string
	// Golden is the file holding the expected parsed events, relative to
	// Dir. Defaults to Name + ".events.golden.json".
	Golden string
	// Reject is true for a vector the provider must refuse (VerifyWebhook or
	// ParseWebhook returns an error): an unknown subscription id, a
	// malformed body.
	Reject bool
}

func (c Case) name() string {
	if c.Name != "" {
		return c.Name
	}
	return string(c.DataType)
}

func (c Case) golden() string {
	if c.Golden != "" {
		return c.Golden
	}
	return c.name() + ".golden.json"
}

func (c Case) method() string {
	if c.Method != "" {
		return strings.ToUpper(c.Method)
	}
	return http.MethodGet
}

func (s Static) method() string {
	if s.Method != "" {
		return strings.ToUpper(s.Method)
	}
	return http.MethodGet
}

func (w WebhookVector) name() string {
	if w.Name != "" {
		return w.Name
	}
	base := path.Base(w.File)
	return strings.TrimSuffix(base, path.Ext(base))
}

func (w WebhookVector) golden() string {
	if w.Golden != "" {
		return w.Golden
	}
	return w.name() + ".events.golden.json"
}

func (f Fixtures) fsys() fs.FS {
	if f.FS != nil {
		return f.FS
	}
	dir := f.Dir
	if dir == "" {
		dir = "."
	}
	return os.DirFS(dir)
}

// readFile reads a fixture file.
func (f Fixtures) readFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(f.fsys(), path.Clean(name))
	if err != nil {
		return nil, fmt.Errorf("providertest: fixture %s: %w", name, err)
	}
	return b, nil
}

// writeFile writes a golden file into Dir.
func (f Fixtures) writeFile(name string, data []byte) error {
	if f.Dir == "" {
		return errors.New("providertest: -update needs Fixtures.Dir")
	}
	p := f.Dir + string(os.PathSeparator) + name
	if err := os.MkdirAll(dirOf(p), 0o755); err != nil {
		return fmt.Errorf("providertest: write golden: %w", err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("providertest: write golden: %w", err)
	}
	return nil
}

func dirOf(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[:i]
	}
	return "."
}

// validate checks the declaration itself, before any request is made.
func (f Fixtures) validate(v Vendor) error {
	var errs []error
	names := map[string]bool{}
	for i, c := range f.Cases {
		n := c.name()
		switch {
		case n == "":
			errs = append(errs, fmt.Errorf("case %d: no Name and no DataType", i))
		case names[n]:
			errs = append(errs, fmt.Errorf("case %q: duplicate name", n))
		case c.DataType == "":
			errs = append(errs, fmt.Errorf("case %q: no DataType", n))
		case !strings.HasPrefix(c.Path, "/"):
			errs = append(errs, fmt.Errorf("case %q: Path %q must start with /", n, c.Path))
		case len(c.Pages) == 0:
			errs = append(errs, fmt.Errorf("case %q: no Pages", n))
		case c.Start.IsZero() || !c.End.After(c.Start):
			errs = append(errs, fmt.Errorf("case %q: window [%v, %v) is empty", n, c.Start, c.End))
		}
		names[n] = true
		seen := map[string]bool{}
		for j, p := range c.Pages {
			if j > 0 && p.Token == "" {
				errs = append(errs, fmt.Errorf("case %q: page %d has no Token", n, j))
			}
			if seen[p.Token] {
				errs = append(errs, fmt.Errorf("case %q: page %d repeats token %q", n, j, p.Token))
			}
			seen[p.Token] = true
			if j > 0 && v.Pagination.Param == "" {
				errs = append(errs, fmt.Errorf("case %q: several pages but Vendor.Pagination.Param is empty", n))
			}
			if _, err := f.readFile(p.File); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, s := range f.Static {
		if !strings.HasPrefix(s.Path, "/") {
			errs = append(errs, fmt.Errorf("static %q: Path must start with /", s.Path))
		}
		if s.File != "" {
			if _, err := f.readFile(s.File); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, w := range f.Webhooks {
		if _, err := f.readFile(w.File); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("providertest: fixtures: %w", err)
	}
	return nil
}

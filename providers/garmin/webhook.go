package garmin

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// VerifyWebhook checks that a notification names this app: its
// garmin-client-id header must equal Config.ClientID (compared in constant
// time). That is all there is to check — Garmin signs nothing, and the
// consumer key is not a secret — so a verified body is still untrusted
// input: ParseWebhook validates its shape and normalizes every pushed
// record like a pulled one, and every event names the Garmin account it
// concerns in ProviderUserID, which the caller must match against its known
// connections (the syncer drops events of unknown accounts). Failures match
// wearables.ErrUnauthorized. It is safe for concurrent use.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	if p.cfg.ClientID == "" {
		return fmt.Errorf("garmin: webhook: Config.ClientID is not set: %w", wearables.ErrUnauthorized)
	}
	if r == nil {
		return fmt.Errorf("garmin: webhook: no request: %w", wearables.ErrUnauthorized)
	}
	got := r.Header.Get(ClientIDHeader)
	if got == "" {
		return fmt.Errorf("garmin: webhook: %s missing: %w", ClientIDHeader, wearables.ErrUnauthorized)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(p.cfg.ClientID)) != 1 {
		return fmt.Errorf("garmin: webhook: %s names another app: %w", ClientIDHeader, wearables.ErrUnauthorized)
	}
	return nil
}

// Ping is one entry of a PING notification: new summaries of one type are
// available for one account, to be fetched from CallbackURL.
type Ping struct {
	// UserID is the Garmin account (see ProviderUserID).
	UserID   string
	DataType wearables.DataType
	// CallbackURL is the pre-formed URL to fetch, as Garmin sent it (see
	// Provider.FetchCallback).
	CallbackURL string
	// Start and End are the upload-time window of the callback URL
	// (uploadStartTimeInSeconds, uploadEndTimeInSeconds); zero when the URL
	// does not carry them.
	Start, End time.Time
	// PullToken is the callback URL's token parameter, which Garmin
	// requires on the summary request: pass it as
	// wearables.FetchRequest.PageToken to fetch [Start, End).
	PullToken string
}

// notification is a PING or PUSH body: summary lists by type, and the
// account lifecycle lists.
type notification struct {
	Deregistrations       []rawNotice `json:"deregistrations"`
	UserPermissionsChange []rawNotice `json:"userPermissionsChange"`
}

// exportPermissions are the permissions under which Garmin shares data; a
// user who keeps none of them shares nothing any more.
var exportPermissions = []string{"ACTIVITY_EXPORT", "HEALTH_EXPORT"}

// ParsePings returns the PING entries of a notification body, in the order
// of DataTypes, for callers that fetch the callback URLs themselves.
// Entries of summary types this provider does not sync are left out. A
// body that is not a Garmin notification is an error matching
// wearables.ErrInvalid.
func ParsePings(body []byte) ([]Ping, error) {
	lists, _, err := splitNotification(body)
	if err != nil {
		return nil, err
	}
	var out []Ping
	for _, st := range summaryTypes {
		raw, ok := lists[st.key]
		if !ok || !isPingList(raw) {
			continue
		}
		var entries []rawNotice
		if err := json.Unmarshal(raw, &entries); err != nil {
			return nil, fmt.Errorf("garmin: parse pings: %s: %w: %w", st.key, wearables.ErrInvalid, err)
		}
		for _, e := range entries {
			if e.UserID == "" {
				continue
			}
			out = append(out, pingOf(st.dataType, e))
		}
	}
	return out, nil
}

// pingOf reads the window and pull token of a ping entry's callback URL.
func pingOf(dt wearables.DataType, e rawNotice) Ping {
	p := Ping{UserID: e.UserID, DataType: dt, CallbackURL: e.CallbackURL}
	u, err := url.Parse(e.CallbackURL)
	if err != nil {
		return p
	}
	q := u.Query()
	p.PullToken = q.Get("token")
	start, err1 := strconv.ParseInt(q.Get("uploadStartTimeInSeconds"), 10, 64)
	end, err2 := strconv.ParseInt(q.Get("uploadEndTimeInSeconds"), 10, 64)
	if err1 == nil && err2 == nil && start > 0 && end >= start && end < 1<<40 {
		p.Start, p.End = time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
	}
	return p
}

// isPingList reports whether a summary list holds PING entries: Garmin
// configures each summary type as PING or PUSH, and only PING entries have
// a callbackURL key (a value containing the text would be escaped).
func isPingList(raw json.RawMessage) bool {
	return bytes.Contains(raw, []byte(`"callbackURL"`))
}

// splitNotification decodes the top level of a notification body into its
// lists (kept raw) and the lifecycle lists.
func splitNotification(body []byte) (map[string]json.RawMessage, notification, error) {
	var lists map[string]json.RawMessage
	if err := json.Unmarshal(body, &lists); err != nil {
		return nil, notification{}, fmt.Errorf("garmin: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	if lists == nil {
		return nil, notification{}, fmt.Errorf("garmin: parse webhook: body is null: %w", wearables.ErrInvalid)
	}
	var n notification
	for _, l := range []struct {
		key string
		dst *[]rawNotice
	}{{"deregistrations", &n.Deregistrations}, {"userPermissionsChange", &n.UserPermissionsChange}} {
		raw, ok := lists[l.key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, l.dst); err != nil {
			return nil, notification{}, fmt.Errorf("garmin: parse webhook: %s: %w: %w", l.key, wearables.ErrInvalid, err)
		}
	}
	return lists, n, nil
}

// ParseWebhook decodes a notification body — PING, PUSH, deregistration
// or permission change; one POST may mix several summary types and
// accounts — into events, in the order of DataTypes, then deregistrations,
// then permission changes:
//
//   - PUSH (summaries inline): one event per summary type and account,
//     Kind WebhookCreated, whose Records hold the account's summaries
//     normalized exactly as Fetch normalizes them (implausible ones left
//     out and listed in Rejected, with the reasons), and whose Start and
//     End span their measurement times;
//   - PING (callbackURL): one event per entry without records, Kind
//     WebhookCreated, Start and End the callback's upload window and
//     PageToken its pull token: Fetch of that window with that PageToken
//     is the pull Garmin allows (see also Ping, ParsePings and
//     FetchCallback);
//   - deregistrations: WebhookDeauthorize per account;
//   - userPermissionsChange: WebhookDeauthorize when the user no longer
//     grants any export permission (Garmin then shares nothing, although
//     the token stays valid), else a WebhookUpdated event of DataType
//     DataPermissions (re-read them with Permissions).
//
// Every event carries the Garmin account in ProviderUserID: Garmin signs
// nothing, so the caller must only apply events of accounts it has a
// connection for. DedupeKeys are stable for a body: a PUSH event's includes
// a hash of its summary list, so a revised summary re-pushed later is not
// mistaken for a retry. Summary types this provider does not sync
// (activityFiles, moveIQActivities, healthSnapshot, mct …) and entries
// without a userId are skipped. A body that is not a JSON object of lists
// is an error matching wearables.ErrInvalid. It is safe for concurrent use.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	lists, n, err := splitNotification(body)
	if err != nil {
		return nil, err
	}
	var events []wearables.WebhookEvent
	for _, st := range summaryTypes {
		raw, ok := lists[st.key]
		if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		if isPingList(raw) {
			var entries []rawNotice
			if err := json.Unmarshal(raw, &entries); err != nil {
				return nil, fmt.Errorf("garmin: parse webhook: %s: %w: %w", st.key, wearables.ErrInvalid, err)
			}
			for _, e := range entries {
				if e.UserID == "" {
					continue
				}
				ping := pingOf(st.dataType, e)
				events = append(events, wearables.WebhookEvent{
					ProviderUserID: e.UserID,
					DataType:       st.dataType,
					Kind:           wearables.WebhookCreated,
					Start:          ping.Start,
					End:            ping.End,
					PageToken:      ping.PullToken,
					DedupeKey: strings.Join([]string{"garmin", "ping", st.key, e.UserID,
						strconv.FormatInt(ping.Start.Unix(), 10), strconv.FormatInt(ping.End.Unix(), 10)}, ":"),
				})
			}
			continue
		}
		accounts, err := st.decode.push(raw)
		if err != nil {
			return nil, fmt.Errorf("garmin: parse webhook: %s: %w: %w", st.key, wearables.ErrInvalid, err)
		}
		sum := sha256.Sum256(raw)
		digest := hex.EncodeToString(sum[:16])
		for _, a := range accounts {
			b := a.res.Records
			start, end := span(&b)
			events = append(events, wearables.WebhookEvent{
				ProviderUserID: a.user,
				DataType:       st.dataType,
				Kind:           wearables.WebhookCreated,
				Start:          start,
				End:            end,
				Records:        &b,
				Rejected:       a.res.Rejected,
				DedupeKey:      strings.Join([]string{"garmin", "push", st.key, a.user, digest}, ":"),
			})
		}
	}
	for _, d := range n.Deregistrations {
		if d.UserID == "" {
			continue
		}
		events = append(events, wearables.WebhookEvent{
			ProviderUserID: d.UserID,
			Kind:           wearables.WebhookDeauthorize,
			DedupeKey:      "garmin:deregistration:" + d.UserID,
		})
	}
	for _, c := range n.UserPermissionsChange {
		if c.UserID == "" {
			continue
		}
		ev := wearables.WebhookEvent{
			ProviderUserID:   c.UserID,
			ProviderRecordID: string(c.SummaryID),
			Kind:             wearables.WebhookDeauthorize,
		}
		for _, perm := range c.Permissions {
			if slices.Contains(exportPermissions, strings.ToUpper(perm)) {
				ev.Kind, ev.DataType = wearables.WebhookUpdated, DataPermissions
				break
			}
		}
		changed, _ := wholeSeconds(c.ChangeTimeInSeconds)
		perms := slices.Clone(c.Permissions)
		slices.Sort(perms)
		ev.DedupeKey = strings.Join([]string{"garmin", "permissions", c.UserID, string(c.SummaryID),
			strconv.FormatInt(changed, 10), strings.Join(perms, ",")}, ":")
		events = append(events, ev)
	}
	return events, nil
}

// span returns the earliest start and latest end of the records of b, for
// the window a PUSH event covers; zero when b has no timed record.
func span(b *wearables.Batch) (start, end time.Time) {
	see := func(s, e time.Time) {
		if s.IsZero() {
			return
		}
		if e.IsZero() {
			e = s
		}
		if start.IsZero() || s.Before(start) {
			start = s
		}
		if e.After(end) {
			end = e
		}
	}
	for _, s := range b.Samples {
		see(s.Start, s.End)
	}
	for _, w := range b.Workouts {
		see(w.Start, w.End)
	}
	for _, s := range b.Sleep {
		see(s.Start, s.End)
	}
	for _, d := range b.Summaries {
		loc := time.UTC
		if d.Offset.Known() {
			loc = d.Offset.Location()
		}
		day := d.Date.In(loc)
		see(day.UTC(), day.AddDate(0, 0, 1).UTC())
	}
	return start, end
}

var _ wearables.WebhookHandler = (*Provider)(nil)

package googlehealth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/wearables-go/wearables/providers/googlehealth"
)

// A Google Health notification is verified by its Authorization header and
// parsed into a hint to fetch a window of one feed again.
func ExampleProvider_ParseWebhook() {
	p := googlehealth.New(googlehealth.Config{WebhookAuthorization: "Bearer s3cret"})
	body := []byte(`{"data": {"version": "1", "healthUserId": "8dNhB2RsWq9vA1Kc", "operation": "UPSERT",
		"dataType": "sleep", "intervals": [{"physicalTimeInterval":
		{"startTime": "2023-11-05T02:48:00Z", "endTime": "2023-11-05T12:05:00Z"}}]}}`)
	r := httptest.NewRequest(http.MethodPost, "/webhooks/googlehealth", strings.NewReader(string(body)))
	r.Header.Set("Authorization", "Bearer s3cret")
	if err := p.VerifyWebhook(r, body); err != nil {
		fmt.Println(err)
		return
	}
	events, err := p.ParseWebhook(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.ProviderUserID, e.DataType, e.Kind, e.Start.Format("15:04"), e.End.Format("15:04"))
	}
	// Output:
	// 8dNhB2RsWq9vA1Kc sleep updated 02:48 12:05
}

// VerificationHandler answers Google's subscriber handshake in front of the
// webhook intake: 201 with the registered secret, 401 without.
func ExampleProvider_VerificationHandler() {
	p := googlehealth.New(googlehealth.Config{WebhookAuthorization: "Bearer s3cret"})
	intake := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := p.VerificationHandler(intake)
	for _, auth := range []string{"Bearer s3cret", ""} {
		r := httptest.NewRequest(http.MethodPost, "/webhooks/googlehealth", strings.NewReader(`{"type": "verification"}`))
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	// Output:
	// 201
	// 401
}

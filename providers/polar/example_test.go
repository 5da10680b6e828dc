package polar_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/wearables-go/wearables/providers/polar"
)

// A SLEEP notification, verified with the webhook's secret, announces the
// night and its Nightly Recharge; the syncer then fetches both for that
// date with the user's token.
func ExampleProvider_ParseWebhook() {
	const secret = "abe1f3ae-fd33-11e8-8eb2-f2801f1b9fd1" // CreateWebhook's one-time signature_secret_key
	p := polar.New(polar.Config{WebhookSecret: secret})

	body := []byte(`{"event":"SLEEP","user_id":475,"date":"2019-12-31","timestamp":"2018-05-15T14:22:24Z","url":"https://www.polaraccesslink.com/v3/users/sleep/2019-12-31"}`)
	r := httptest.NewRequest(http.MethodPost, "/webhooks/polar", bytes.NewReader(body))
	r.Header.Set(polar.SignatureHeader, polar.Sign(secret, body))

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
		fmt.Println(e.ProviderUserID, e.DataType, e.Start.Format(time.DateOnly), e.End.Format(time.DateOnly))
	}

	// The PING Polar sends when the webhook is created is accepted
	// unsigned and announces nothing.
	ping := []byte(`{"timestamp":"2018-05-15T14:22:24Z","event":"PING"}`)
	err = p.VerifyWebhook(httptest.NewRequest(http.MethodPost, "/webhooks/polar", bytes.NewReader(ping)), ping)
	events, _ = p.ParseWebhook(ping)
	fmt.Println(err, len(events))
	// Output:
	// 475 sleep 2019-12-31 2020-01-01
	// 475 nightly_recharge 2019-12-31 2020-01-01
	// <nil> 0
}

package server

import (
	"net/http"
	"strings"

	"github.com/wearables-go/wearables"
)

// Optional provider capabilities for webhook subscription handshakes: the
// vendor calls the webhook URL with GET and expects an echo.
type (
	verificationHandler interface{ VerificationHandler() http.Handler } // Oura
	challengeHandler    interface{ ChallengeHandler() http.Handler }    // Strava
)

// webhooks serves /webhooks/{provider}: GET is the provider's subscription
// handshake (when it has one), POST goes to the intake (the syncer's inbox,
// which verifies, stores once and answers 200 after the commit).
func (s *srv) webhooks(intake http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.Trim(strings.TrimPrefix(r.URL.Path, "/webhooks"), "/")
		p, ok := s.providers[wearables.ProviderID(name)]
		if !ok || strings.Contains(name, "/") {
			writeProblemHTTP(w, newProblem(http.StatusNotFound, "no webhooks for this provider"))
			return
		}
		switch r.Method {
		case http.MethodGet:
			switch h := p.(type) {
			case verificationHandler:
				h.VerificationHandler().ServeHTTP(w, r)
			case challengeHandler:
				h.ChallengeHandler().ServeHTTP(w, r)
			default:
				writeProblemHTTP(w, newProblem(http.StatusMethodNotAllowed, "webhooks are POSTed"))
			}
		case http.MethodPost:
			if _, ok := p.(wearables.WebhookHandler); !ok || intake == nil {
				writeProblemHTTP(w, newProblem(http.StatusNotFound, "no webhooks for this provider"))
				return
			}
			http.StripPrefix("/webhooks", intake).ServeHTTP(w, r)
		default:
			w.Header().Set("Allow", "GET, POST")
			writeProblemHTTP(w, newProblem(http.StatusMethodNotAllowed, "method not allowed"))
		}
	})
}

package server

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/applehealth"
)

type pushInput struct {
	Body applehealth.PushBatch
}

// PushReport is what a push batch did.
type PushReport struct {
	UserID  string                `json:"user_id"`
	Written wearables.WriteResult `json:"written"`
	Stats   applehealth.Stats     `json:"stats"`
}
type pushOutput struct{ Body PushReport }

type uploadInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	body   io.Reader
}

// Resolve keeps the request body reader, so the upload streams into the
// importer instead of being buffered.
func (in *uploadInput) Resolve(ctx huma.Context) []error {
	in.body = ctx.BodyReader()
	return nil
}

// ImportReport is the outcome of an Apple Health export upload.
type ImportReport struct {
	UserID  string                `json:"user_id"`
	Written wearables.WriteResult `json:"written"`
	Stats   applehealth.Stats     `json:"stats"`
	Batches int                   `json:"batches"`
	Fault   string                `json:"fault,omitempty" doc:"Where and why a damaged export stopped; everything before it was imported"`
}
type importOutput struct{ Body ImportReport }

func (s *srv) registerPush() {
	tags := []string{"Push"}
	register(s, huma.Operation{OperationID: "push-batch", Method: http.MethodPost, Path: "/api/v1/push", Tags: tags,
		Summary:      "Push a HealthKit / Health Connect batch for the user of the push token",
		Description:  "Authenticated by a push token from POST /api/v1/users/{user_id}/push-tokens, never by an API key. Records that cannot be used are rejected and counted; the rest is written in one transaction.",
		Security:     pushSecurity,
		MaxBodyBytes: s.cfg.MaxPushBytes,
		Errors:       []int{401, 404, 413, 422}},
		func(ctx context.Context, in *pushInput) (*pushOutput, error) {
			c := caller(ctx)
			u, err := s.cfg.Store.GetUser(ctx, c.userID)
			if errors.Is(err, wearables.ErrNotFound) || (err == nil && u.AppID != c.appID) {
				s.metrics.pushes.WithLabelValues("rejected").Inc()
				return nil, notFound("user")
			}
			if err != nil {
				return nil, err
			}
			res, err := applehealth.NormalizePush(&in.Body)
			if err != nil {
				s.metrics.pushes.WithLabelValues("rejected").Inc()
				return nil, err
			}
			b := res.Records
			b.UserID = u.ID
			wr, err := s.cfg.Store.WriteBatch(ctx, &b)
			if err != nil {
				s.metrics.pushes.WithLabelValues("failed").Inc()
				return nil, err
			}
			s.metrics.pushes.WithLabelValues("ok").Inc()
			return &pushOutput{Body: PushReport{UserID: u.ID, Written: wr, Stats: res.Stats}}, nil
		})

	op := huma.Operation{OperationID: "import-apple-health", Method: http.MethodPost, Path: "/api/v1/users/{user_id}/imports/apple-health", Tags: tags,
		Summary:     "Upload an Apple Health export.xml; it is streamed into the importer, never held in memory",
		Description: "The body is the export.xml from the Health app's export.zip (unzip it first, or use `wearables import apple-health` for the zip). A damaged file imports everything before the fault and reports it.",
		Security:    keySecurity, Errors: []int{404, 413, 422},
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			"application/xml": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
		}}}
	register(s, op, func(ctx context.Context, in *uploadInput) (*importOutput, error) {
		if _, err := s.appUser(ctx, in.UserID); err != nil {
			return nil, err
		}
		if in.body == nil {
			return nil, newProblem(http.StatusBadRequest, "empty body")
		}
		lr := &io.LimitedReader{R: in.body, N: s.cfg.MaxUploadBytes + 1}
		rep, err := applehealth.Import(ctx, lr, s.cfg.Store, in.UserID, applehealth.ImportOptions{})
		if lr.N <= 0 {
			s.metrics.imports.WithLabelValues("too_large").Inc()
			return nil, newProblem(http.StatusRequestEntityTooLarge, "upload larger than the limit")
		}
		out := ImportReport{UserID: in.UserID, Written: rep.Written, Stats: rep.Stats, Batches: rep.Batches}
		total := rep.Written.Total()
		s.metrics.importRecs.Add(float64(total.Inserted + total.Updated))
		var se *applehealth.SyntaxError
		switch {
		case errors.As(err, &se):
			out.Fault = se.Error()
			s.metrics.imports.WithLabelValues("damaged").Inc()
			if rep.Batches == 0 && total.Total() == 0 {
				return nil, newProblem(http.StatusUnprocessableEntity, "not an Apple Health export: "+se.Error())
			}
		case err != nil:
			s.metrics.imports.WithLabelValues("failed").Inc()
			return nil, err
		default:
			s.metrics.imports.WithLabelValues("ok").Inc()
		}
		return &importOutput{Body: out}, nil
	})
}

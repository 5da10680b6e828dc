package wearables

import (
	"context"
	"fmt"
	"time"
)

// AppSecret is an application-wide vendor secret as stored: one that
// belongs to the deployment's vendor client rather than to a connection
// (Polar's webhook signature_secret_key, which Polar hands out once). Like
// EncryptedToken it is ciphertext and the id of the key that wrapped it;
// stores keep it opaquely and never see plaintext, package oauthflow seals
// and opens it (oauthflow.AppSecrets).
type AppSecret struct {
	Provider   ProviderID
	Name       string    // what the secret is, unique per provider, e.g. "webhook_signature_secret_key"
	KeyID      string    // id of the key-encryption key
	Ciphertext []byte    // self-describing envelope produced by oauthflow
	UpdatedAt  time.Time // set by the store on write
}

// Validate reports an empty Provider, Name or KeyID as a *ValidationError
// (matching ErrInvalid). Stores call it in PutAppSecret.
func (s AppSecret) Validate() error {
	switch {
	case s.Provider == "":
		return &ValidationError{Index: -1, Field: "Provider", Reason: "empty provider"}
	case s.Name == "":
		return &ValidationError{Index: -1, Field: "Name", Reason: "empty name"}
	case s.KeyID == "":
		return &ValidationError{Index: -1, Field: "KeyID", Reason: "empty key id"}
	}
	return nil
}

// String never prints the ciphertext.
func (s AppSecret) String() string {
	return fmt.Sprintf("AppSecret{provider=%s name=%s key=%s bytes=%d}", s.Provider, s.Name, s.KeyID, len(s.Ciphertext))
}

// GoString never prints the ciphertext.
func (s AppSecret) GoString() string { return s.String() }

// AppSecretStore keeps sealed application-wide vendor secrets, one per
// (provider, name). It never sees plaintext.
type AppSecretStore interface {
	// PutAppSecret stores s under (s.Provider, s.Name), replacing any
	// earlier value, and sets UpdatedAt. ErrInvalid when s.Validate fails.
	PutAppSecret(ctx context.Context, s AppSecret) error
	// ReplaceAppSecret stores next in place of prev only while the stored
	// value is still prev (same KeyID and Ciphertext), atomically, and sets
	// UpdatedAt: a re-wrap after a key rotation never overwrites a secret
	// another process stored meanwhile. ErrConflict when the stored value
	// is another one; ErrNotFound when there is none; ErrInvalid when next
	// fails Validate or names another provider or name than prev.
	ReplaceAppSecret(ctx context.Context, prev, next AppSecret) error
	// GetAppSecret returns ErrNotFound when there is no such secret.
	GetAppSecret(ctx context.Context, provider ProviderID, name string) (AppSecret, error)
	// DeleteAppSecret removes the secret; deleting one that does not exist
	// is not an error.
	DeleteAppSecret(ctx context.Context, provider ProviderID, name string) error
	// ListAppSecrets returns every stored secret ordered by (Provider, Name).
	// There are a handful per deployment, so it does not page.
	ListAppSecrets(ctx context.Context) ([]AppSecret, error)
	// CountAppSecretsByKey returns how many stored secrets each key id wraps.
	CountAppSecretsByKey(ctx context.Context) (map[string]int, error)
}

// SecretKeeper keeps application-wide vendor secrets in plaintext form for
// the provider packages that receive them (Polar's one-time webhook
// signature secret), so that they need not import oauthflow. The
// implementation of this module, oauthflow.AppSecrets, seals them into an
// AppSecretStore. Implementations never log values nor put them in errors,
// and are safe for concurrent use.
type SecretKeeper interface {
	// PutSecret stores value as the provider's secret name, replacing any
	// earlier value. ErrInvalid for an empty provider, name or value.
	PutSecret(ctx context.Context, provider ProviderID, name, value string) error
	// Secret returns the provider's secret name. ErrNotFound when none is
	// stored.
	Secret(ctx context.Context, provider ProviderID, name string) (string, error)
}

package oauthflow

import (
	"context"
	"fmt"

	"github.com/wearables-go/wearables"
)

// Domain strings of app secret envelopes; see the envelope format in
// keyring.go. They differ from the tokens' so that neither kind of blob
// opens as the other.
const (
	secretWrapDomain = "wearables/oauthflow/app-secret/dek"
	secretDataDomain = "wearables/oauthflow/app-secret"
)

// secretWrapAD returns the wrap associated data of a provider's secret name.
func secretWrapAD(provider wearables.ProviderID, name string) func(keyID string) []byte {
	return func(keyID string) []byte {
		b := lenPrefixed(nil, secretWrapDomain)
		b = append(b, envelopeV1)
		b = lenPrefixed(b, keyID)
		b = lenPrefixed(b, string(provider))
		return lenPrefixed(b, name)
	}
}

// secretDataAD returns the associated data of a provider's secret name.
func secretDataAD(provider wearables.ProviderID, name string) []byte {
	b := lenPrefixed(nil, secretDataDomain)
	b = append(b, envelopeV1)
	b = lenPrefixed(b, string(provider))
	return lenPrefixed(b, name)
}

// secretWhat names a secret in error messages.
func secretWhat(provider wearables.ProviderID, name string) string {
	return "app secret " + string(provider) + "/" + name
}

// SealSecret encrypts value as the provider's application-wide secret name
// under the primary key, in the envelope tokens use (a fresh data key
// wrapped by the primary key), bound to provider and name: the result does
// not open under another provider or name. Errors match
// wearables.ErrInvalid for an empty provider, name or value and never
// contain the value. Safe for concurrent use.
func (r *Keyring) SealSecret(provider wearables.ProviderID, name, value string) (wearables.AppSecret, error) {
	if provider == "" || name == "" || value == "" {
		return wearables.AppSecret{}, fmt.Errorf("oauthflow: seal app secret: empty provider, name or value: %w", wearables.ErrInvalid)
	}
	plain := []byte(value)
	defer clear(plain)
	e, err := r.sealEnvelope(plain, secretWrapAD(provider, name), secretDataAD(provider, name))
	if err != nil {
		return wearables.AppSecret{}, fmt.Errorf("oauthflow: seal %s: %w", secretWhat(provider, name), err)
	}
	return wearables.AppSecret{Provider: provider, Name: name, KeyID: e.keyID, Ciphertext: e.marshal()}, nil
}

// OpenSecret decrypts a stored app secret. Every failure — a flipped bit
// anywhere, a blob stored under another provider or name, a key id that is
// not loaded (then the error also matches ErrUnknownKey) — returns an error
// matching ErrDecrypt. Errors never contain the value. Safe for concurrent
// use.
func (r *Keyring) OpenSecret(s wearables.AppSecret) (string, error) {
	what := secretWhat(s.Provider, s.Name)
	e, dek, err := r.openDEK(what, s.KeyID, s.Ciphertext, secretWrapAD(s.Provider, s.Name))
	if err != nil {
		return "", err
	}
	defer clear(dek)
	plain, err := openData(what, "secret", e, dek, secretDataAD(s.Provider, s.Name))
	if err != nil {
		return "", err
	}
	defer clear(plain)
	return string(plain), nil
}

// RewrapSecret re-wraps s's data key under the primary key, authenticating
// it against s's provider and name on the way; the secret itself is neither
// decrypted nor re-encrypted. It returns s unchanged when it is already
// wrapped by the primary key. Errors match ErrDecrypt. Safe for concurrent
// use.
func (r *Keyring) RewrapSecret(s wearables.AppSecret) (wearables.AppSecret, error) {
	wrapAD := secretWrapAD(s.Provider, s.Name)
	e, dek, err := r.openDEK(secretWhat(s.Provider, s.Name), s.KeyID, s.Ciphertext, wrapAD)
	if err != nil {
		return wearables.AppSecret{}, err
	}
	defer clear(dek)
	if e.keyID == r.primary.id {
		return s, nil
	}
	out := s
	out.KeyID = r.primary.id
	out.Ciphertext = r.rewrapEnvelope(e, dek, wrapAD)
	return out, nil
}

// AppSecrets is the wearables.SecretKeeper of this module: it seals
// application-wide vendor secrets (Polar's one-time webhook signature
// secret) with Keyring and keeps them in Store, usually the deployment's
// wearables.Store, so that every process sharing the database reads them.
// Values are never logged nor put into errors. CheckKeys and RewrapTokens
// cover the secrets when the store they are given is also a
// wearables.AppSecretStore, so a key rotation moves them with the tokens.
//
// Both fields are required. An AppSecrets is safe for concurrent use.
type AppSecrets struct {
	Store   wearables.AppSecretStore
	Keyring *Keyring
}

func (a AppSecrets) check(op string) error {
	if a.Store == nil || a.Keyring == nil {
		return fmt.Errorf("oauthflow: %s: AppSecrets needs a Store and a Keyring: %w", op, wearables.ErrInvalid)
	}
	return nil
}

// PutSecret seals value under the keyring's primary key and stores it as
// the provider's secret name, replacing any earlier value. Errors match
// wearables.ErrInvalid for an empty provider, name or value (or a missing
// Store or Keyring), and wrap the store's errors otherwise.
func (a AppSecrets) PutSecret(ctx context.Context, provider wearables.ProviderID, name, value string) error {
	if err := a.check("put app secret"); err != nil {
		return err
	}
	sealed, err := a.Keyring.SealSecret(provider, name, value)
	if err != nil {
		return err
	}
	if err := a.Store.PutAppSecret(ctx, sealed); err != nil {
		return fmt.Errorf("oauthflow: put %s: %w", secretWhat(provider, name), err)
	}
	return nil
}

// Secret reads and opens the provider's secret name. Errors: one matching
// wearables.ErrNotFound when none is stored, ErrDecrypt when it does not
// open (ErrUnknownKey when its key is not in the keyring), the store's
// errors wrapped.
func (a AppSecrets) Secret(ctx context.Context, provider wearables.ProviderID, name string) (string, error) {
	if err := a.check("get app secret"); err != nil {
		return "", err
	}
	sealed, err := a.Store.GetAppSecret(ctx, provider, name)
	if err != nil {
		return "", fmt.Errorf("oauthflow: get %s: %w", secretWhat(provider, name), err)
	}
	return a.Keyring.OpenSecret(sealed)
}

var _ wearables.SecretKeeper = AppSecrets{}

package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wearables-go/wearables"
)

// MissingKeysError says that stored tokens (or app secrets) reference key
// ids the keyring does not hold: those rows cannot be decrypted. It matches
// ErrUnknownKey (and so ErrDecrypt).
type MissingKeysError struct {
	// Rows maps each missing key id to the number of tokens it wraps.
	Rows map[string]int
	// Secrets maps each missing key id to the number of app secrets it
	// wraps (see CheckKeys); nil when none is affected.
	Secrets map[string]int
}

func (e *MissingKeysError) Error() string {
	tokens, secrets := 0, 0
	perKey := map[string]int{}
	for id, n := range e.Rows {
		tokens += n
		perKey[id] += n
	}
	for id, n := range e.Secrets {
		secrets += n
		perKey[id] += n
	}
	ids := make([]string, 0, len(perKey))
	for id := range perKey {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Quote(id) + ": " + strconv.Itoa(perKey[id])
	}
	what := strconv.Itoa(tokens) + " stored tokens"
	if secrets > 0 {
		what += " and " + strconv.Itoa(secrets) + " stored app secrets"
	}
	return "oauthflow: " + what + " reference key ids that are not loaded (" +
		strings.Join(parts, ", ") + "); add those keys to the keyring as older keys"
}

// Is reports whether target is ErrUnknownKey or ErrDecrypt.
func (e *MissingKeysError) Is(target error) bool {
	return target == ErrUnknownKey || target == ErrDecrypt
}

// CheckKeys verifies that every stored token is wrapped by a key the keyring
// holds — and every stored app secret too, when tokens is also a
// wearables.AppSecretStore (every store of this module is). Call it at
// start-up and refuse to start on error: it returns a *MissingKeysError
// naming the missing key ids and how many rows each wraps, or a store
// error.
func CheckKeys(ctx context.Context, tokens wearables.TokenStore, kr *Keyring) error {
	counts, err := tokens.CountTokensByKey(ctx)
	if err != nil {
		return fmt.Errorf("oauthflow: check keys: %w", err)
	}
	mk := &MissingKeysError{Rows: missingKeys(counts, kr)}
	if secrets, ok := tokens.(wearables.AppSecretStore); ok {
		counts, err := secrets.CountAppSecretsByKey(ctx)
		if err != nil {
			return fmt.Errorf("oauthflow: check keys: %w", err)
		}
		if m := missingKeys(counts, kr); len(m) > 0 {
			mk.Secrets = m
		}
	}
	if len(mk.Rows) > 0 || len(mk.Secrets) > 0 {
		return mk
	}
	return nil
}

// missingKeys returns the counts of the key ids kr does not hold.
func missingKeys(counts map[string]int, kr *Keyring) map[string]int {
	missing := map[string]int{}
	for id, n := range counts {
		if n > 0 && !kr.Has(id) {
			missing[id] = n
		}
	}
	return missing
}

// RewrapOptions tunes RewrapTokens.
type RewrapOptions struct {
	// BatchSize is how many tokens are listed per page. Defaults to 100.
	BatchSize int
	// Progress, when set, is called after each page with the totals so far.
	Progress func(RewrapResult)
}

// RewrapResult counts what RewrapTokens did.
type RewrapResult struct {
	Rewrapped int // tokens moved to the primary key by this run
	Skipped   int // tokens already on the primary key, or deleted, by the time their lock was taken

	SecretsRewrapped int // app secrets moved to the primary key by this run
	SecretsSkipped   int // app secrets replaced or deleted by another writer meanwhile
}

// RewrapTokens moves every stored token that is not wrapped by the
// keyring's primary key onto it, one token at a time under the token lock
// (so it runs safely beside brokers refreshing the same tokens). Only the
// data key is re-wrapped; tokens are never decrypted.
//
// When tokens is also a wearables.AppSecretStore (every store of this
// module is), the app secrets are re-wrapped too, first: each with
// ReplaceAppSecret, so a secret another process stores meanwhile is never
// overwritten with the older one (it is counted as skipped).
//
// It is resumable: progress is the stored rows themselves, so after an
// interruption (a cancelled ctx, a crash) running it again picks up the
// rows still on older keys. It first runs CheckKeys and does nothing when
// a referenced key is missing. Every process that writes tokens or secrets
// must already have the new keyring, or it would keep writing them under
// the old primary key. Returns what was done so far with any error.
func RewrapTokens(ctx context.Context, tokens wearables.TokenStore, kr *Keyring, opts RewrapOptions) (RewrapResult, error) {
	var res RewrapResult
	if err := CheckKeys(ctx, tokens, kr); err != nil {
		return res, err
	}
	if secrets, ok := tokens.(wearables.AppSecretStore); ok {
		if err := rewrapSecrets(ctx, secrets, kr, &res); err != nil {
			return res, err
		}
	}
	limit := opts.BatchSize
	if limit <= 0 {
		limit = 100
	}
	primary := kr.PrimaryID()
	cursor := ""
	for {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("oauthflow: rewrap tokens: %w", err)
		}
		page, err := tokens.ListTokens(ctx, wearables.TokenQuery{NotKeyID: primary, Cursor: cursor, Limit: limit})
		if err != nil {
			return res, fmt.Errorf("oauthflow: rewrap tokens: %w", err)
		}
		for _, listed := range page.Items {
			if err := ctx.Err(); err != nil {
				return res, fmt.Errorf("oauthflow: rewrap tokens: %w", err)
			}
			moved := false
			err := tokens.UpdateToken(ctx, listed.ConnectionID, func(_ context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				moved = false
				if cur.KeyID == primary {
					return wearables.TokenUpdate{}, nil
				}
				re, err := kr.Rewrap(cur)
				if err != nil {
					return wearables.TokenUpdate{}, err
				}
				moved = true
				return wearables.TokenUpdate{Token: &re}, nil
			})
			switch {
			case errors.Is(err, wearables.ErrNotFound):
				res.Skipped++ // deleted meanwhile
			case err != nil:
				return res, fmt.Errorf("oauthflow: rewrap token of connection %s: %w", listed.ConnectionID, err)
			case moved:
				res.Rewrapped++
			default:
				res.Skipped++
			}
		}
		if opts.Progress != nil {
			opts.Progress(res)
		}
		if page.Next == "" {
			return res, nil
		}
		cursor = page.Next
	}
}

// rewrapSecrets moves every stored app secret that is not wrapped by the
// primary key onto it, counting into res.
func rewrapSecrets(ctx context.Context, store wearables.AppSecretStore, kr *Keyring, res *RewrapResult) error {
	all, err := store.ListAppSecrets(ctx)
	if err != nil {
		return fmt.Errorf("oauthflow: rewrap app secrets: %w", err)
	}
	primary := kr.PrimaryID()
	for _, sec := range all {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("oauthflow: rewrap app secrets: %w", err)
		}
		if sec.KeyID == primary {
			continue
		}
		re, err := kr.RewrapSecret(sec)
		if err != nil {
			return fmt.Errorf("oauthflow: rewrap app secrets: %w", err)
		}
		err = store.ReplaceAppSecret(ctx, sec, re)
		switch {
		case errors.Is(err, wearables.ErrConflict), errors.Is(err, wearables.ErrNotFound):
			res.SecretsSkipped++ // replaced or deleted meanwhile
		case err != nil:
			return fmt.Errorf("oauthflow: rewrap %s: %w", secretWhat(sec.Provider, sec.Name), err)
		default:
			res.SecretsRewrapped++
		}
	}
	return nil
}

package oauthflow_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

const hookName = "webhook_signature_secret_key"

// TestTokenEnvelopeUnchanged opens a token sealed by the keyring code as it
// was before app secrets shared its envelope functions: tokens stored by
// earlier releases must keep opening.
func TestTokenEnvelopeUnchanged(t *testing.T) {
	const sealed = "0108676f6c64656e2d31c125ee953bd94125ad09818b7552a0dfe08f02ba9ab93a308a5b9d59dc0576c8f53fa687a779b3f88e4a8da6db8efa46423e9cdd0cb8d87cf4d8e89f1aea1ca1a118f39bf9ac9eebfe71a4eb1092309844d4e02315b347b63e191baad0d2d9b79e3493ac799f81742445bce8c6cbb32874087e06b47a04e9a7d9855fccb1573d11f132e88bd1eb3c680ba621374df2ed3cea077c390bd996dab40855ec0005dbebf5da865c2be1ec188b98d3"
	blob, err := hex.DecodeString(sealed)
	require.NoError(t, err)
	k, err := oauthflow.NewKey("golden-1", []byte("0123456789abcdef0123456789abcdef"))
	require.NoError(t, err)
	kr := mustKeyring(t, k)
	tok, err := kr.Open(wearables.EncryptedToken{ConnectionID: "conn-golden", KeyID: "golden-1", Ciphertext: blob})
	require.NoError(t, err)
	assert.Equal(t, "at-golden", tok.AccessToken)
	assert.Equal(t, "rt-golden", tok.RefreshToken)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.True(t, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC).Equal(tok.Expiry))
	assert.Equal(t, "read", tok.Extra("scope"))

	// And it is still bound to its connection.
	_, err = kr.Open(wearables.EncryptedToken{ConnectionID: "conn-other", KeyID: "golden-1", Ciphertext: blob})
	assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
}

func TestSealSecret(t *testing.T) {
	k1, k2 := mustKey(t, "k1"), mustKey(t, "k2")
	kr1 := mustKeyring(t, k1)
	value := "whsec-" + randString(24)

	t.Run("round trip", func(t *testing.T) {
		s, err := kr1.SealSecret(wearables.ProviderPolar, hookName, value)
		require.NoError(t, err)
		assert.Equal(t, wearables.ProviderPolar, s.Provider)
		assert.Equal(t, hookName, s.Name)
		assert.Equal(t, "k1", s.KeyID)
		assert.False(t, bytes.Contains(s.Ciphertext, []byte(value)), "plaintext in the envelope")
		got, err := kr1.OpenSecret(s)
		require.NoError(t, err)
		assert.Equal(t, value, got)

		again, err := kr1.SealSecret(wearables.ProviderPolar, hookName, value)
		require.NoError(t, err)
		assert.NotEqual(t, s.Ciphertext, again.Ciphertext, "fresh data key and nonces every time")
	})

	t.Run("empty input", func(t *testing.T) {
		for _, in := range [][3]string{{"", hookName, value}, {"polar", "", value}, {"polar", hookName, ""}} {
			_, err := kr1.SealSecret(wearables.ProviderID(in[0]), in[1], in[2])
			assert.ErrorIs(t, err, wearables.ErrInvalid, "%q", in)
		}
	})

	t.Run("every single-bit flip fails authentication", func(t *testing.T) {
		s, err := kr1.SealSecret(wearables.ProviderPolar, hookName, value)
		require.NoError(t, err)
		for bit := range len(s.Ciphertext) * 8 {
			flipped := s
			flipped.Ciphertext = bytes.Clone(s.Ciphertext)
			flipped.Ciphertext[bit/8] ^= 1 << (bit % 8)
			_, err := kr1.OpenSecret(flipped)
			require.ErrorIs(t, err, oauthflow.ErrDecrypt, "bit %d", bit)
			_, err = kr1.RewrapSecret(flipped)
			if bit/8 < 2+len("k1")+12+48 {
				// Rewrap authenticates the header and the wrapped data key
				// only (version, key id, wrap nonce, wrapped key); the data
				// part is covered by OpenSecret above.
				require.ErrorIs(t, err, oauthflow.ErrDecrypt, "rewrap, bit %d", bit)
			}
		}
	})

	t.Run("moved to another name or provider", func(t *testing.T) {
		s, err := kr1.SealSecret(wearables.ProviderPolar, hookName, value)
		require.NoError(t, err)
		for _, moved := range []wearables.AppSecret{
			{Provider: wearables.ProviderPolar, Name: "other_secret", KeyID: s.KeyID, Ciphertext: s.Ciphertext},
			{Provider: wearables.ProviderOura, Name: hookName, KeyID: s.KeyID, Ciphertext: s.Ciphertext},
			// Length prefixes keep "polar"+"x_name" apart from "polarx"+"_name".
			{Provider: "polarw", Name: hookName[1:], KeyID: s.KeyID, Ciphertext: s.Ciphertext},
		} {
			_, err := kr1.OpenSecret(moved)
			assert.ErrorIs(t, err, oauthflow.ErrDecrypt, "%s/%s", moved.Provider, moved.Name)
			_, err = kr1.RewrapSecret(moved)
			assert.ErrorIs(t, err, oauthflow.ErrDecrypt, "rewrap %s/%s", moved.Provider, moved.Name)
		}
	})

	t.Run("tokens and secrets do not open as each other", func(t *testing.T) {
		// A token sealed for a "connection" whose id is the provider and a
		// secret of that provider share no associated data.
		et, err := kr1.Seal("polar", sampleToken())
		require.NoError(t, err)
		_, err = kr1.OpenSecret(wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookName, KeyID: et.KeyID, Ciphertext: et.Ciphertext})
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
		s, err := kr1.SealSecret(wearables.ProviderPolar, hookName, value)
		require.NoError(t, err)
		for _, conn := range []string{"polar", hookName, "polar/" + hookName} {
			_, err = kr1.Open(wearables.EncryptedToken{ConnectionID: conn, KeyID: s.KeyID, Ciphertext: s.Ciphertext})
			assert.ErrorIs(t, err, oauthflow.ErrDecrypt, conn)
		}
	})

	t.Run("unknown key and mismatched row key id", func(t *testing.T) {
		s, err := mustKeyring(t, k2).SealSecret(wearables.ProviderPolar, hookName, value)
		require.NoError(t, err)
		_, err = kr1.OpenSecret(s)
		assert.ErrorIs(t, err, oauthflow.ErrUnknownKey)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
		s.KeyID = "k1"
		_, err = mustKeyring(t, k2, k1).OpenSecret(s)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt, "row says k1, envelope k2")
	})

	t.Run("rewrap moves the data key only", func(t *testing.T) {
		s, err := kr1.SealSecret(wearables.ProviderPolar, hookName, value)
		require.NoError(t, err)
		rotated := mustKeyring(t, k2, k1)
		re, err := rotated.RewrapSecret(s)
		require.NoError(t, err)
		assert.Equal(t, "k2", re.KeyID)
		assert.Equal(t, s.Ciphertext[len(s.Ciphertext)-len(value)-16:], re.Ciphertext[len(re.Ciphertext)-len(value)-16:],
			"the sealed secret itself is not re-encrypted")
		got, err := mustKeyring(t, k2).OpenSecret(re)
		require.NoError(t, err, "opens without the old key")
		assert.Equal(t, value, got)
		same, err := rotated.RewrapSecret(re)
		require.NoError(t, err)
		assert.Equal(t, re, same, "already on the primary key: unchanged")
	})
}

func TestAppSecrets(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		st := openStore(t, k)
		kr := mustKeyring(t, mustKey(t, "k1"))
		keeper := oauthflow.AppSecrets{Store: st, Keyring: kr}
		value := "whsec-" + randString(24)

		_, err := keeper.Secret(ctx, wearables.ProviderPolar, hookName)
		assert.ErrorIs(t, err, wearables.ErrNotFound)

		require.NoError(t, keeper.PutSecret(ctx, wearables.ProviderPolar, hookName, value))
		got, err := keeper.Secret(ctx, wearables.ProviderPolar, hookName)
		require.NoError(t, err)
		assert.Equal(t, value, got)

		stored, err := st.GetAppSecret(ctx, wearables.ProviderPolar, hookName)
		require.NoError(t, err)
		assert.Equal(t, "k1", stored.KeyID)
		assert.False(t, bytes.Contains(stored.Ciphertext, []byte(value)), "plaintext stored")

		// Replaced by a new value (a webhook created again).
		newer := "whsec-" + randString(24)
		require.NoError(t, keeper.PutSecret(ctx, wearables.ProviderPolar, hookName, newer))
		got, err = keeper.Secret(ctx, wearables.ProviderPolar, hookName)
		require.NoError(t, err)
		assert.Equal(t, newer, got)

		// A sealed value copied to another name does not open there.
		stored, err = st.GetAppSecret(ctx, wearables.ProviderPolar, hookName)
		require.NoError(t, err)
		stored.Name = "copied"
		require.NoError(t, st.PutAppSecret(ctx, stored))
		_, err = keeper.Secret(ctx, wearables.ProviderPolar, "copied")
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)

		assert.ErrorIs(t, keeper.PutSecret(ctx, wearables.ProviderPolar, hookName, ""), wearables.ErrInvalid)
		assert.ErrorIs(t, oauthflow.AppSecrets{Store: st}.PutSecret(ctx, wearables.ProviderPolar, hookName, value), wearables.ErrInvalid, "no keyring")
		_, err = oauthflow.AppSecrets{Keyring: kr}.Secret(ctx, wearables.ProviderPolar, hookName)
		assert.ErrorIs(t, err, wearables.ErrInvalid, "no store")
	})
}

// TestRewrapAppSecrets rotates the key-encryption key of a store holding
// tokens and app secrets: CheckKeys counts the secrets, RewrapTokens moves
// them with the tokens, and the old key can then be dropped.
func TestRewrapAppSecrets(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		st := openStore(t, k)
		k1, k2 := mustKey(t, "k1"), mustKey(t, "k2")
		old := oauthflow.AppSecrets{Store: st, Keyring: mustKeyring(t, k1)}
		value, other := "whsec-"+randString(24), "other-"+randString(24)
		require.NoError(t, old.PutSecret(ctx, wearables.ProviderPolar, hookName, value))
		require.NoError(t, old.PutSecret(ctx, wearables.ProviderOura, "other", other))
		u := wearables.User{}
		require.NoError(t, st.CreateUser(ctx, &u))
		c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderPolar, Status: wearables.ConnectionActive}
		require.NoError(t, st.CreateConnection(ctx, &c))
		tok := sampleToken()
		et, err := old.Keyring.Seal(c.ID, tok)
		require.NoError(t, err)
		require.NoError(t, st.PutToken(ctx, et))

		// A keyring without k1 is refused, naming the secrets too.
		onlyNew := mustKeyring(t, k2)
		err = oauthflow.CheckKeys(ctx, st, onlyNew)
		var mk *oauthflow.MissingKeysError
		require.ErrorAs(t, err, &mk)
		assert.Equal(t, map[string]int{"k1": 1}, mk.Rows)
		assert.Equal(t, map[string]int{"k1": 2}, mk.Secrets)
		assert.Contains(t, err.Error(), "1 stored tokens and 2 stored app secrets")
		assert.Contains(t, err.Error(), `"k1": 3`)
		_, err = oauthflow.RewrapTokens(ctx, st, onlyNew, oauthflow.RewrapOptions{})
		assert.ErrorIs(t, err, oauthflow.ErrUnknownKey, "rewrap refuses too")

		rotated := mustKeyring(t, k2, k1)
		require.NoError(t, oauthflow.CheckKeys(ctx, st, rotated))
		res, err := oauthflow.RewrapTokens(ctx, st, rotated, oauthflow.RewrapOptions{})
		require.NoError(t, err)
		assert.Equal(t, oauthflow.RewrapResult{Rewrapped: 1, SecretsRewrapped: 2}, res)
		counts, err := st.CountAppSecretsByKey(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"k2": 2}, counts, "no secret left on the old key")

		// The old key can go now.
		require.NoError(t, oauthflow.CheckKeys(ctx, st, onlyNew))
		after := oauthflow.AppSecrets{Store: st, Keyring: onlyNew}
		got, err := after.Secret(ctx, wearables.ProviderPolar, hookName)
		require.NoError(t, err)
		assert.Equal(t, value, got)
		got, err = after.Secret(ctx, wearables.ProviderOura, "other")
		require.NoError(t, err)
		assert.Equal(t, other, got)
		et, err = st.GetToken(ctx, c.ID)
		require.NoError(t, err)
		opened, err := onlyNew.Open(et)
		require.NoError(t, err)
		assert.Equal(t, tok.AccessToken, opened.AccessToken)

		// Running it again finds nothing to do.
		res, err = oauthflow.RewrapTokens(ctx, st, rotated, oauthflow.RewrapOptions{})
		require.NoError(t, err)
		assert.Equal(t, oauthflow.RewrapResult{Skipped: 0}, res)
	})
}

// storeWithWriter is a real store whose ListAppSecrets is followed, before
// it returns, by another process's write: a new secret stored under the new
// keyring between RewrapTokens listing a secret and replacing it. All
// behaviour is the real store's; only the interleaving is fixed.
type storeWithWriter struct {
	wearables.Store
	between func()
}

func (s storeWithWriter) ListAppSecrets(ctx context.Context) ([]wearables.AppSecret, error) {
	all, err := s.Store.ListAppSecrets(ctx)
	s.between()
	return all, err
}

// TestRewrapNeverOverwritesNewerSecret: a secret stored by another process
// after RewrapTokens listed the old one survives the re-wrap.
func TestRewrapNeverOverwritesNewerSecret(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		st := openStore(t, k)
		k1, k2 := mustKey(t, "k1"), mustKey(t, "k2")
		require.NoError(t, oauthflow.AppSecrets{Store: st, Keyring: mustKeyring(t, k1)}.PutSecret(ctx, wearables.ProviderPolar, hookName, "old-"+randString(16)))
		rotated := mustKeyring(t, k2, k1)
		newer := "new-" + randString(16)
		racing := storeWithWriter{Store: st, between: func() {
			require.NoError(t, oauthflow.AppSecrets{Store: st, Keyring: rotated}.PutSecret(ctx, wearables.ProviderPolar, hookName, newer))
		}}
		res, err := oauthflow.RewrapTokens(ctx, racing, rotated, oauthflow.RewrapOptions{})
		require.NoError(t, err)
		assert.Equal(t, oauthflow.RewrapResult{SecretsSkipped: 1}, res)
		got, err := oauthflow.AppSecrets{Store: st, Keyring: mustKeyring(t, k2)}.Secret(ctx, wearables.ProviderPolar, hookName)
		require.NoError(t, err)
		assert.Equal(t, newer, got, "the newer secret stays")
	})
}

// TestAppSecretsNeverLeak checks that a secret's plaintext appears neither
// in what the store keeps nor in any error of the failure paths, in every
// fmt form.
func TestAppSecretsNeverLeak(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		st := openStore(t, k)
		k1, k2 := mustKey(t, "k1"), mustKey(t, "k2")
		keeper := oauthflow.AppSecrets{Store: st, Keyring: mustKeyring(t, k1)}
		value := "whsec-" + randString(24)
		require.NoError(t, keeper.PutSecret(ctx, wearables.ProviderPolar, hookName, value))

		stored, err := st.GetAppSecret(ctx, wearables.ProviderPolar, hookName)
		require.NoError(t, err)
		all, err := st.ListAppSecrets(ctx)
		require.NoError(t, err)
		for _, b := range [][]byte{stored.Ciphertext, all[0].Ciphertext} {
			assert.False(t, bytes.Contains(b, []byte(value)), "plaintext stored")
			assert.NotContains(t, hex.EncodeToString(b), hex.EncodeToString([]byte(value)))
		}

		var errs []error
		keep := func(err error) {
			require.Error(t, err)
			errs = append(errs, err)
		}
		_, err = oauthflow.AppSecrets{Store: st, Keyring: mustKeyring(t, k2)}.Secret(ctx, wearables.ProviderPolar, hookName)
		keep(err) // unknown key
		flipped := stored
		flipped.Ciphertext = bytes.Clone(stored.Ciphertext)
		flipped.Ciphertext[len(flipped.Ciphertext)-1] ^= 0x80
		_, err = keeper.Keyring.OpenSecret(flipped)
		keep(err) // tampered payload
		moved := stored
		moved.Name = "moved"
		_, err = keeper.Keyring.OpenSecret(moved)
		keep(err) // moved
		_, err = keeper.Keyring.RewrapSecret(moved)
		keep(err)
		keep(oauthflow.CheckKeys(ctx, st, mustKeyring(t, k2)))
		_, err = keeper.Secret(ctx, wearables.ProviderPolar, "absent")
		keep(err)
		keep(oauthflow.AppSecrets{Store: st}.PutSecret(ctx, wearables.ProviderPolar, hookName, value))
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := keeper.PutSecret(cctx, wearables.ProviderPolar, hookName, value); err != nil {
			errs = append(errs, err) // memstore ignores ctx
		}
		for _, err := range errs {
			assert.NotContains(t, fmtAll(err), value)
			for e := err; e != nil; e = errors.Unwrap(e) {
				assert.NotContains(t, fmt.Sprintf("%#v", e), value)
			}
		}
		assert.NotContains(t, fmtAll(stored), value)
	})
}

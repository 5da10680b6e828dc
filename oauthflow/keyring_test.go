package oauthflow_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

func sampleToken() *oauth2.Token {
	return (&oauth2.Token{
		AccessToken:  "at-" + randString(24),
		RefreshToken: "rt-" + randString(24),
		TokenType:    "Bearer",
		Expiry:       time.Date(2026, 11, 27, 12, 0, 0, 123456789, time.UTC),
	}).WithExtra(map[string]any{"scope": "activity sleep"})
}

func TestParseKey(t *testing.T) {
	secret := randomKey()
	long := append(randomKey(), randomKey()...)
	tests := []struct {
		name    string
		in      string
		wantID  string
		wantErr bool
	}{
		{"std base64", "k1:" + base64.StdEncoding.EncodeToString(secret), "k1", false},
		{"raw url base64", "2026-11.a_b:" + base64.RawURLEncoding.EncodeToString(secret), "2026-11.a_b", false},
		{"longer secret", "k2:" + base64.StdEncoding.EncodeToString(long), "k2", false},
		{"short secret", "k1:" + base64.StdEncoding.EncodeToString(secret[:31]), "", true},
		{"no id", ":" + base64.StdEncoding.EncodeToString(secret), "", true},
		{"no colon", base64.StdEncoding.EncodeToString(secret), "", true},
		{"bad id", "k 1:" + base64.StdEncoding.EncodeToString(secret), "", true},
		{"not base64", "k1:%%%%", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := oauthflow.ParseKey(tt.in)
			if tt.wantErr {
				require.Error(t, err)
				assert.ErrorIs(t, err, wearables.ErrInvalid)
				_, b64, _ := strings.Cut(tt.in, ":")
				if b64 != "" {
					assert.NotContains(t, err.Error(), b64, "error must not echo the secret")
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantID, k.ID())
		})
	}
}

func TestKeyNeverPrintsSecret(t *testing.T) {
	secret := randomKey()
	k, err := oauthflow.NewKey("k1", secret)
	require.NoError(t, err)
	kr := mustKeyring(t, k)
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		for _, v := range []any{k, &k, kr, struct{ K oauthflow.Key }{k}, oauthflow.Secret("hunter2-secret")} {
			out := fmt.Sprintf(f, v)
			assert.NotContains(t, out, "hunter2-secret", f)
			for _, enc := range []string{base64.StdEncoding.EncodeToString(secret), fmt.Sprintf("%x", secret), fmt.Sprint(secret)} {
				assert.NotContains(t, out, enc, f)
			}
			assert.False(t, bytes.Contains([]byte(out), secret[:8]), f)
		}
	}
}

func TestKeyring(t *testing.T) {
	k1, k2 := mustKey(t, "k1"), mustKey(t, "k2")
	kr1 := mustKeyring(t, k1)

	t.Run("round trip", func(t *testing.T) {
		tok := sampleToken()
		et, err := kr1.Seal("conn-1", tok)
		require.NoError(t, err)
		assert.Equal(t, "k1", et.KeyID)
		assert.Equal(t, "conn-1", et.ConnectionID)
		assert.Equal(t, tok.Expiry.Truncate(time.Microsecond), et.ExpiresAt)
		for _, s := range []string{tok.AccessToken, tok.RefreshToken, "activity"} {
			assert.NotContains(t, string(et.Ciphertext), s)
		}
		got, err := kr1.Open(et)
		require.NoError(t, err)
		assert.Equal(t, tok.AccessToken, got.AccessToken)
		assert.Equal(t, tok.RefreshToken, got.RefreshToken)
		assert.Equal(t, tok.TokenType, got.TokenType)
		assert.True(t, tok.Expiry.Truncate(time.Microsecond).Equal(got.Expiry))
		assert.Equal(t, "activity sleep", got.Extra("scope"))
	})

	t.Run("same token sealed twice differs", func(t *testing.T) {
		tok := sampleToken()
		a, err := kr1.Seal("c", tok)
		require.NoError(t, err)
		b, err := kr1.Seal("c", tok)
		require.NoError(t, err)
		assert.NotEqual(t, a.Ciphertext, b.Ciphertext)
	})

	t.Run("1000 single-bit flips all fail authentication", func(t *testing.T) {
		et, err := kr1.Seal("conn-flip", sampleToken())
		require.NoError(t, err)
		bits := len(et.Ciphertext) * 8
		require.Greater(t, bits, 1000)
		seen := map[int]bool{}
		failures := 0
		for i := range 1000 {
			// 7919 is prime and bits is not a multiple of it, so these are
			// 1,000 distinct bits spread over every part of the envelope.
			bit := (i * 7919) % bits
			require.False(t, seen[bit])
			seen[bit] = true
			flipped := et
			flipped.Ciphertext = bytes.Clone(et.Ciphertext)
			flipped.Ciphertext[bit/8] ^= 1 << (bit % 8)
			_, err := kr1.Open(flipped)
			if assert.ErrorIs(t, err, oauthflow.ErrDecrypt, "bit %d", bit) {
				failures++
			}
		}
		assert.Equal(t, 1000, failures)
	})

	t.Run("truncated and extended blobs fail", func(t *testing.T) {
		et, err := kr1.Seal("c", sampleToken())
		require.NoError(t, err)
		for _, n := range []int{0, 1, 2, 10, 80, len(et.Ciphertext) - 1} {
			cut := et
			cut.Ciphertext = et.Ciphertext[:n]
			_, err := kr1.Open(cut)
			assert.ErrorIs(t, err, oauthflow.ErrDecrypt, "len %d", n)
		}
		long := et
		long.Ciphertext = append(bytes.Clone(et.Ciphertext), 0)
		_, err = kr1.Open(long)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
	})

	t.Run("blob moved to another connection fails", func(t *testing.T) {
		et, err := kr1.Seal("conn-a", sampleToken())
		require.NoError(t, err)
		moved := et
		moved.ConnectionID = "conn-b"
		_, err = kr1.Open(moved)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
		// Even after a re-wrap attempt under the other connection's name.
		_, err = mustKeyring(t, k2, k1).Rewrap(moved)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
	})

	t.Run("row key id differing from envelope fails", func(t *testing.T) {
		et, err := kr1.Seal("c", sampleToken())
		require.NoError(t, err)
		et.KeyID = "k2"
		_, err = mustKeyring(t, k2, k1).Open(et)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
	})

	t.Run("unknown key", func(t *testing.T) {
		et, err := kr1.Seal("c", sampleToken())
		require.NoError(t, err)
		_, err = mustKeyring(t, k2).Open(et)
		assert.ErrorIs(t, err, oauthflow.ErrUnknownKey)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
	})

	t.Run("same id other secret fails", func(t *testing.T) {
		et, err := kr1.Seal("c", sampleToken())
		require.NoError(t, err)
		_, err = mustKeyring(t, mustKey(t, "k1")).Open(et)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
	})

	t.Run("rewrap moves to the primary and keeps the token", func(t *testing.T) {
		tok := sampleToken()
		et, err := kr1.Seal("c", tok)
		require.NoError(t, err)
		kr2 := mustKeyring(t, k2, k1)
		re, err := kr2.Rewrap(et)
		require.NoError(t, err)
		assert.Equal(t, "k2", re.KeyID)
		assert.Equal(t, et.ExpiresAt, re.ExpiresAt)
		got, err := kr2.Open(re)
		require.NoError(t, err)
		assert.Equal(t, tok.AccessToken, got.AccessToken)
		assert.Equal(t, tok.RefreshToken, got.RefreshToken)
		// k1 alone can no longer open it; k2 alone can.
		_, err = kr1.Open(re)
		assert.ErrorIs(t, err, oauthflow.ErrUnknownKey)
		_, err = mustKeyring(t, k2).Open(re)
		assert.NoError(t, err)
		// Re-wrapping a token already on the primary is a no-op.
		again, err := kr2.Rewrap(re)
		require.NoError(t, err)
		assert.Equal(t, re.Ciphertext, again.Ciphertext)
	})

	t.Run("keyring validation", func(t *testing.T) {
		_, err := oauthflow.NewKeyring(k1, k1)
		assert.ErrorIs(t, err, wearables.ErrInvalid)
		_, err = oauthflow.NewKeyring(oauthflow.Key{})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
		_, err = oauthflow.NewKey("k", make([]byte, 16))
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})

	t.Run("parse keyring", func(t *testing.T) {
		kr, err := oauthflow.ParseKeyring("new:" + testKeySecret() + ", old:" + testKeySecret())
		require.NoError(t, err)
		assert.Equal(t, "new", kr.PrimaryID())
		assert.Equal(t, []string{"new", "old"}, kr.KeyIDs())
		assert.True(t, kr.Has("old"))
		_, err = oauthflow.ParseKeyring(" , ")
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
}

package storetest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// opaqueBytes is a ciphertext with every byte value, NULs and 0xFF runs.
func opaqueBytes() []byte {
	b := []byte{0x00, 0x00, 0xFF, 0xFF, 0x00}
	for i := range 256 {
		b = append(b, byte(i))
	}
	return append(b, 0xFF, 0x00, 0xFF)
}

func testTokens(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderWhoop)
		_, err := s.GetToken(ctx, c.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound, "no token yet")

		expires := time.Date(2026, 3, 14, 7, 0, 0, 999_999_999, kathmandu)
		in := wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "kek-2026-03", Ciphertext: opaqueBytes(), ExpiresAt: expires}
		before := time.Now().Add(-time.Second)
		require.NoError(t, s.PutToken(ctx, in))
		in.Ciphertext[0], in.Ciphertext[len(in.Ciphertext)-1] = 'X', 'X' // the store must have kept its own copy

		got, err := s.GetToken(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.ID, got.ConnectionID)
		assert.Equal(t, "kek-2026-03", got.KeyID)
		assert.True(t, bytes.Equal(opaqueBytes(), got.Ciphertext), "ciphertext bytes round-trip exactly")
		assert.Equal(t, wt(expires), ct(got.ExpiresAt))
		assertUTC(t, got.ExpiresAt, "EncryptedToken.ExpiresAt")
		assert.True(t, got.UpdatedAt.After(before), "UpdatedAt is set")

		got.Ciphertext[3] ^= 0xFF // nor may a reader's copy alias it
		again, err := s.GetToken(ctx, c.ID)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(opaqueBytes(), again.Ciphertext), "mutating a read token changed the store")

		// Zero expiry means unknown and stays zero.
		require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "kek-2026-04", Ciphertext: []byte{0xFF}}))
		got, err = s.GetToken(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "kek-2026-04", got.KeyID, "PutToken replaces")
		assert.Equal(t, []byte{0xFF}, got.Ciphertext)
		assert.True(t, got.ExpiresAt.IsZero(), "zero expiry stays zero, got %v", got.ExpiresAt)
	})

	t.Run("MissingConnection", func(t *testing.T) {
		s := newStore(t)
		err := s.PutToken(t.Context(), wearables.EncryptedToken{ConnectionID: wearables.NewID(), KeyID: "k", Ciphertext: []byte{1}})
		assert.ErrorIs(t, err, wearables.ErrNotFound)
	})

	t.Run("Delete", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderPolar)
		d := newConnection(t, s, u.ID, wearables.ProviderSuunto)
		for _, conn := range []wearables.Connection{c, d} {
			require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: conn.ID, KeyID: "k", Ciphertext: []byte("sealed")}))
		}
		require.NoError(t, s.DeleteToken(ctx, c.ID))
		_, err := s.GetToken(ctx, c.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.GetToken(ctx, d.ID)
		assert.NoError(t, err, "other tokens stay")
		_, err = s.GetConnection(ctx, c.ID)
		assert.NoError(t, err, "the connection stays")
	})

	t.Run("UpdateToken", func(t *testing.T) {
		old := []byte{0x00, 'o', 'l', 'd', 0xFF}
		fresh := []byte{0xFF, 'n', 'e', 'w', 0x00}
		expires := time.Date(2026, 3, 15, 6, 0, 0, 123_456_789, time.UTC)
		cases := []struct {
			name       string
			update     func(connID string) wearables.TokenUpdate
			wantToken  []byte // nil: token deleted
			wantKey    string
			wantStatus wearables.ConnectionStatus
			wantReason string
		}{
			{
				name: "replace",
				update: func(id string) wearables.TokenUpdate {
					return wearables.TokenUpdate{Token: &wearables.EncryptedToken{ConnectionID: id, KeyID: "k2", Ciphertext: fresh, ExpiresAt: expires}}
				},
				wantToken: fresh, wantKey: "k2", wantStatus: wearables.ConnectionActive,
			},
			{
				name:      "delete",
				update:    func(string) wearables.TokenUpdate { return wearables.TokenUpdate{Delete: true} },
				wantToken: nil, wantStatus: wearables.ConnectionActive,
			},
			{
				name: "status only",
				update: func(string) wearables.TokenUpdate {
					return wearables.TokenUpdate{Status: wearables.ConnectionNeedsReauth, Reason: "invalid_grant after re-read"}
				},
				wantToken: old, wantKey: "k1", wantStatus: wearables.ConnectionNeedsReauth, wantReason: "invalid_grant after re-read",
			},
			{
				name: "delete and revoke",
				update: func(string) wearables.TokenUpdate {
					return wearables.TokenUpdate{Delete: true, Status: wearables.ConnectionRevoked, Reason: "revoked by user"}
				},
				wantToken: nil, wantStatus: wearables.ConnectionRevoked, wantReason: "revoked by user",
			},
			{
				name: "replace and set status",
				update: func(id string) wearables.TokenUpdate {
					return wearables.TokenUpdate{
						Token:  &wearables.EncryptedToken{ConnectionID: id, KeyID: "k2", Ciphertext: fresh, ExpiresAt: expires},
						Status: wearables.ConnectionPaused, Reason: "paused by owner",
					}
				},
				wantToken: fresh, wantKey: "k2", wantStatus: wearables.ConnectionPaused, wantReason: "paused by owner",
			},
			{
				name:      "nothing",
				update:    func(string) wearables.TokenUpdate { return wearables.TokenUpdate{} },
				wantToken: old, wantKey: "k1", wantStatus: wearables.ConnectionActive,
			},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				s, ctx := newStore(t), t.Context()
				u := newUser(t, s)
				c := newConnection(t, s, u.ID, wearables.ProviderGoogleHealth)
				require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k1", Ciphertext: old}))

				calls := 0
				err := s.UpdateToken(ctx, c.ID, func(ctx context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
					calls++
					assert.NotNil(t, ctx)
					assert.Equal(t, c.ID, cur.ConnectionID)
					assert.Equal(t, "k1", cur.KeyID)
					assert.Equal(t, old, cur.Ciphertext, "the callback sees the stored token")
					return tc.update(c.ID), nil
				})
				require.NoError(t, err)
				assert.Equal(t, 1, calls)

				tok, err := s.GetToken(ctx, c.ID)
				if tc.wantToken == nil {
					assert.ErrorIs(t, err, wearables.ErrNotFound, "token deleted")
				} else {
					require.NoError(t, err)
					assert.Equal(t, tc.wantToken, tok.Ciphertext)
					assert.Equal(t, tc.wantKey, tok.KeyID)
					if tc.wantKey == "k2" {
						assert.Equal(t, wt(expires), ct(tok.ExpiresAt))
					}
				}
				conn, err := s.GetConnection(ctx, c.ID)
				require.NoError(t, err)
				assert.Equal(t, tc.wantStatus, conn.Status)
				assert.Equal(t, tc.wantReason, conn.StatusReason)
			})
		}
	})

	t.Run("UpdateTokenCallbackError", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderGarmin)
		require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k1", Ciphertext: []byte("old")}))
		boom := errors.New("vendor token endpoint timed out")
		err := s.UpdateToken(ctx, c.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
			// Everything the callback asks for is discarded with its error.
			return wearables.TokenUpdate{
				Token:  &wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k2", Ciphertext: []byte("new")},
				Status: wearables.ConnectionNeedsReauth, Reason: "should not be written",
			}, boom
		})
		assert.ErrorIs(t, err, boom, "the callback's error is returned")

		tok, err := s.GetToken(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, []byte("old"), tok.Ciphertext, "nothing written")
		assert.Equal(t, "k1", tok.KeyID, "nothing written")
		conn, err := s.GetConnection(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionActive, conn.Status, "nothing written")
		assert.Empty(t, conn.StatusReason, "nothing written")
	})

	t.Run("UpdateTokenNotFound", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderGarmin)
		for name, id := range map[string]string{"connection without a token": c.ID, "no such connection": wearables.NewID()} {
			called := false
			err := s.UpdateToken(ctx, id, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				called = true
				return wearables.TokenUpdate{}, nil
			})
			assert.ErrorIs(t, err, wearables.ErrNotFound, name)
			assert.False(t, called, "%s: the callback must not run", name)
		}
	})

	t.Run("UpdateTokenMutualExclusion", func(t *testing.T) {
		// Each callback reads a counter from the ciphertext, waits a little
		// (a refresh does network I/O) and writes counter+1. Without mutual
		// exclusion, increments are lost.
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderWhoop)
		other := newConnection(t, s, u.ID, wearables.ProviderOura)
		require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k", Ciphertext: counterBytes(0)}))
		require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: other.ID, KeyID: "k", Ciphertext: counterBytes(0)}))

		const n = 16
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range 2 * n {
			id := c.ID
			if i%2 == 1 {
				id = other.ID
			}
			wg.Go(func() {
				errs <- s.UpdateToken(ctx, id, func(_ context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
					v, err := counterOf(cur.Ciphertext)
					if err != nil {
						return wearables.TokenUpdate{}, err
					}
					time.Sleep(2 * time.Millisecond)
					return wearables.TokenUpdate{Token: &wearables.EncryptedToken{ConnectionID: id, KeyID: "k", Ciphertext: counterBytes(v + 1)}}, nil
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		for _, id := range []string{c.ID, other.ID} {
			tok, err := s.GetToken(ctx, id)
			require.NoError(t, err)
			v, err := counterOf(tok.Ciphertext)
			require.NoError(t, err)
			assert.Equal(t, uint64(n), v, "every increment applied exactly once")
		}
	})

	t.Run("ListAndCount", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		var k1, k2 []string
		for i := range 8 {
			u := newUser(t, s)
			c := newConnection(t, s, u.ID, wearables.ProviderOura)
			key := "k1"
			if i%3 == 2 {
				key = "k2"
				k2 = append(k2, c.ID)
			} else {
				k1 = append(k1, c.ID)
			}
			require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: key, Ciphertext: append(opaqueBytes(), byte(i))}))
		}
		// A connection without a token is not listed.
		newConnection(t, s, newUser(t, s).ID, wearables.ProviderOura)
		all := slices.Concat(k1, k2)
		slices.Sort(all)
		slices.Sort(k1)
		slices.Sort(k2)

		for _, tc := range []struct {
			notKey string
			want   []string
		}{{"k2", k1}, {"k1", k2}, {"", all}, {"k3", all}} {
			for _, limit := range []int{1, 2, 0} {
				t.Run("NotKeyID="+tc.notKey+"/Limit="+strconv.Itoa(limit), func(t *testing.T) {
					toks := collect(t, cmpLimit(limit), func(cursor string) (wearables.Page[wearables.EncryptedToken], error) {
						return s.ListTokens(ctx, wearables.TokenQuery{NotKeyID: tc.notKey, Cursor: cursor, Limit: limit})
					})
					var ids []string
					for _, tok := range toks {
						ids = append(ids, tok.ConnectionID)
						assert.NotEqual(t, tc.notKey, tok.KeyID)
						assert.True(t, bytes.HasPrefix(tok.Ciphertext, opaqueBytes()), "listed tokens carry their ciphertext")
					}
					assert.Equal(t, tc.want, ids, "every token once, in connection id order")
				})
			}
		}
		counts, err := s.CountTokensByKey(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"k1": len(k1), "k2": len(k2)}, counts)

		_, err = s.ListTokens(ctx, wearables.TokenQuery{Cursor: "??"})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
		_, err = s.ListTokens(ctx, wearables.TokenQuery{Limit: wearables.MaxPageSize + 1})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})

	t.Run("CountEmpty", func(t *testing.T) {
		s := newStore(t)
		counts, err := s.CountTokensByKey(t.Context())
		require.NoError(t, err)
		assert.Empty(t, counts)
	})
}

// counterBytes is a ciphertext stand-in holding a counter, framed by the
// bytes most likely to be mangled.
func counterBytes(v uint64) []byte {
	b := []byte{0x00, 0xFF}
	b = binary.BigEndian.AppendUint64(b, v)
	return append(b, 0xFF, 0x00)
}

func counterOf(b []byte) (uint64, error) {
	if len(b) != 12 || b[0] != 0x00 || b[1] != 0xFF || b[10] != 0xFF || b[11] != 0x00 {
		return 0, errors.New("storetest: ciphertext was mangled")
	}
	return binary.BigEndian.Uint64(b[2:10]), nil
}

func testAuthStates(t *testing.T, newStore Factory) {
	t.Run("PutTake", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		expires := time.Now().Add(10 * time.Minute).In(marquesas)
		in := wearables.AuthState{Key: "sha256:9f86d081884c7d65", Data: opaqueBytes(), ExpiresAt: expires}
		require.NoError(t, s.PutAuthState(ctx, in))
		require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "sha256:other", Data: []byte{1}, ExpiresAt: expires}))

		got, err := s.TakeAuthState(ctx, in.Key)
		require.NoError(t, err)
		assert.Equal(t, in.Key, got.Key)
		assert.True(t, bytes.Equal(opaqueBytes(), got.Data), "data round-trips exactly")
		assert.Equal(t, wt(expires), ct(got.ExpiresAt))

		_, err = s.TakeAuthState(ctx, in.Key)
		assert.ErrorIs(t, err, wearables.ErrNotFound, "a state is usable once")
		_, err = s.TakeAuthState(ctx, "sha256:never-stored")
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.TakeAuthState(ctx, "sha256:other")
		assert.NoError(t, err, "states are independent")
	})

	t.Run("DuplicateKey", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		st := wearables.AuthState{Key: "k", Data: []byte("a"), ExpiresAt: time.Now().Add(time.Minute)}
		require.NoError(t, s.PutAuthState(ctx, st))
		st.Data = []byte("b")
		assert.ErrorIs(t, s.PutAuthState(ctx, st), wearables.ErrConflict)
		got, err := s.TakeAuthState(ctx, "k")
		require.NoError(t, err)
		assert.Equal(t, []byte("a"), got.Data, "the first state stays")
	})

	t.Run("Expired", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "stale", Data: []byte("x"), ExpiresAt: time.Now().Add(-time.Second)}))
		_, err := s.TakeAuthState(ctx, "stale")
		assert.ErrorIs(t, err, wearables.ErrNotFound, "an expired state is as good as absent")
		assert.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "stale", Data: []byte("y"), ExpiresAt: time.Now().Add(time.Minute)}),
			"taking an expired state deletes it")
		got, err := s.TakeAuthState(ctx, "stale")
		require.NoError(t, err)
		assert.Equal(t, []byte("y"), got.Data)
	})

	t.Run("ConcurrentTake", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		for round := range 5 {
			key := "race-" + strconv.Itoa(round)
			require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: key, Data: []byte(key), ExpiresAt: time.Now().Add(time.Minute)}))
			const n = 12
			var (
				wg    sync.WaitGroup
				mu    sync.Mutex
				wins  int
				other []error
			)
			start := make(chan struct{})
			for range n {
				wg.Go(func() {
					<-start
					got, err := s.TakeAuthState(ctx, key)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						wins++
						assert.Equal(t, []byte(key), got.Data)
					case !errors.Is(err, wearables.ErrNotFound):
						other = append(other, err)
					}
				})
			}
			close(start)
			wg.Wait()
			assert.Equal(t, 1, wins, "exactly one of %d concurrent takes wins", n)
			assert.Empty(t, other, "losers get ErrNotFound")
		}
	})
}

package storetest

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// canonPriorities is a deep copy of ps with empty lists as nil.
func canonPriorities(ps []wearables.SourcePriority) []wearables.SourcePriority {
	if len(ps) == 0 {
		return nil
	}
	out := make([]wearables.SourcePriority, len(ps))
	for i, p := range ps {
		p.Providers = nilIfEmpty(slices.Clone(p.Providers))
		p.DeviceTypes = nilIfEmpty(slices.Clone(p.DeviceTypes))
		out[i] = p
	}
	return out
}

func testPriorities(t *testing.T, newStore Factory) {
	first := []wearables.SourcePriority{
		{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderGarmin, wearables.ProviderAppleHealth, wearables.ProviderOura}, DeviceTypes: []wearables.DeviceType{wearables.DeviceWatch, wearables.DevicePhone}},
		{DataType: "sleep", Providers: []wearables.ProviderID{wearables.ProviderOura, wearables.ProviderWhoop}},
		{DataType: "heart_rate", Providers: []wearables.ProviderID{wearables.ProviderPolar}, DeviceTypes: []wearables.DeviceType{wearables.DeviceStrap, wearables.DeviceWatch, wearables.DeviceRing}},
		{DataType: "*", Providers: []wearables.ProviderID{wearables.ProviderAppleHealth}},
		{DataType: "workouts", Providers: []wearables.ProviderID{wearables.ProviderStrava, wearables.ProviderGarmin}},
	}

	t.Run("NoneIsEmpty", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		got, err := s.GetSourcePriorities(t.Context(), u.ID)
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("RoundTripInOrder", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		in := canonPriorities(first) // a copy the test may spoil
		require.NoError(t, s.SetSourcePriorities(ctx, u.ID, in))
		in[0].Providers[0], in[1].DataType = "mutated", "steps"
		got, err := s.GetSourcePriorities(ctx, u.ID)
		require.NoError(t, err)
		assert.Equal(t, canonPriorities(first), canonPriorities(got), "order preserved, and the store keeps its own copy")

		got, err = s.GetSourcePriorities(ctx, v.ID)
		require.NoError(t, err)
		assert.Empty(t, got, "priorities are per user")

		fresh, err := s.GetSourcePriorities(ctx, u.ID)
		require.NoError(t, err)
		require.NotEmpty(t, fresh)
		fresh[0].Providers[0] = "mutated" // reading must not alias the store
		again, err := s.GetSourcePriorities(ctx, u.ID)
		require.NoError(t, err)
		assert.Equal(t, canonPriorities(first), canonPriorities(again), "mutating a read result changed the store")
	})

	t.Run("Replace", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		require.NoError(t, s.SetSourcePriorities(ctx, u.ID, first))
		second := []wearables.SourcePriority{
			{DataType: "*", Providers: []wearables.ProviderID{wearables.ProviderWithings}, DeviceTypes: []wearables.DeviceType{wearables.DeviceScale}},
			{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderOura}},
		}
		require.NoError(t, s.SetSourcePriorities(ctx, u.ID, second))
		got, err := s.GetSourcePriorities(ctx, u.ID)
		require.NoError(t, err)
		assert.Equal(t, canonPriorities(second), canonPriorities(got), "Set replaces every entry")

		require.NoError(t, s.SetSourcePriorities(ctx, u.ID, nil))
		got, err = s.GetSourcePriorities(ctx, u.ID)
		require.NoError(t, err)
		assert.Empty(t, got, "setting none clears")
	})

	t.Run("Invalid", func(t *testing.T) {
		cases := map[string][]wearables.SourcePriority{
			"duplicate data type": {
				{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderGarmin}},
				{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderOura}},
			},
			"unknown series code": {{DataType: "mood", Providers: []wearables.ProviderID{wearables.ProviderOura}}},
			"unknown device type": {{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderOura}, DeviceTypes: []wearables.DeviceType{"toaster"}}},
			"empty provider":      {{DataType: "sleep", Providers: []wearables.ProviderID{""}}},
		}
		for name, ps := range cases {
			t.Run(name, func(t *testing.T) {
				s, ctx := newStore(t), t.Context()
				u := newUser(t, s)
				require.NoError(t, s.SetSourcePriorities(ctx, u.ID, first))
				assert.ErrorIs(t, s.SetSourcePriorities(ctx, u.ID, ps), wearables.ErrInvalid)
				got, err := s.GetSourcePriorities(ctx, u.ID)
				require.NoError(t, err)
				assert.Equal(t, canonPriorities(first), canonPriorities(got), "a rejected Set changes nothing")
			})
		}
	})

	t.Run("MissingUser", func(t *testing.T) {
		s := newStore(t)
		assert.ErrorIs(t, s.SetSourcePriorities(t.Context(), wearables.NewID(), first), wearables.ErrNotFound)
	})
}

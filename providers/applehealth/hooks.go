package applehealth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/wearables-go/wearables"
)

// This file holds the few rules the importer needs from package normalize
// that normalize does not offer yet. Each is marked TODO(normalize).

// recordID returns a deterministic record id for a record the vendor gave no
// id: the hex SHA-256 (first 16 bytes) of its identifying parts.
// TODO(normalize): use normalize's deterministic record ids.
func recordID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0x1f})
	}
	sum := h.Sum(nil)
	return "ah-" + hex.EncodeToString(sum[:16])
}

// sleepStage maps an HKCategoryValueSleepAnalysis value.
// TODO(normalize): use normalize's sleep stage expansion for Apple values.
func sleepStage(v []byte) (wearables.SleepStage, bool) {
	switch string(v) {
	case "HKCategoryValueSleepAnalysisInBed":
		return wearables.StageInBed, true
	case "HKCategoryValueSleepAnalysisAsleep", "HKCategoryValueSleepAnalysisAsleepUnspecified":
		return wearables.StageAsleep, true
	case "HKCategoryValueSleepAnalysisAsleepCore":
		return wearables.StageLight, true
	case "HKCategoryValueSleepAnalysisAsleepDeep":
		return wearables.StageDeep, true
	case "HKCategoryValueSleepAnalysisAsleepREM":
		return wearables.StageREM, true
	case "HKCategoryValueSleepAnalysisAwake":
		return wearables.StageAwake, true
	}
	return 0, false
}

// plausible checks a sample against its series type's plausible range.
// TODO(normalize): use normalize's validation.
func plausible(s *wearables.Sample) (string, bool) {
	info, ok := s.Type.Info()
	if !ok {
		return "unknown series type", false
	}
	if s.Value < info.Min || s.Value > info.Max {
		return fmt.Sprintf("%s %g %s outside the plausible range %g..%g", info.Code, s.Value, info.Unit, info.Min, info.Max), false
	}
	return "", true
}

// validSleep checks a session the way a store would, so that one bad
// session is rejected here instead of failing its whole batch.
func validSleep(s *wearables.Sleep) error {
	b := wearables.Batch{UserID: "-", Sleep: []wearables.Sleep{*s}}
	if err := b.Validate(); err != nil {
		msg := err.Error()
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

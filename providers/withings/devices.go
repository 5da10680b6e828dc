package withings

import (
	"strconv"

	"github.com/wearables-go/wearables"
)

// device is one Withings model (model_id) with the kind of device it is.
type device struct {
	name string
	typ  wearables.DeviceType
}

// devices maps Withings model ids (the "model_id"/"modelid" fields, and
// the "model" integer of workouts) to their names and device types, from
// the model tables of the OpenAPI document. Blood-pressure monitors,
// thermometers, sleep mats and other devices without a wearables.DeviceType
// of their own are DeviceUnknown. Read-only.
var devices = map[int]device{
	1: {"Withings WBS01", wearables.DeviceScale}, 2: {"WS30", wearables.DeviceScale}, 3: {"Kid Scale", wearables.DeviceScale},
	4: {"Smart Body Analyzer", wearables.DeviceScale}, 5: {"Body+", wearables.DeviceScale}, 6: {"Body Cardio", wearables.DeviceScale},
	7: {"Body", wearables.DeviceScale}, 9: {"Body Pro", wearables.DeviceScale}, 10: {"Body Scan", wearables.DeviceScale},
	11: {"WBS10", wearables.DeviceScale}, 12: {"WBS11", wearables.DeviceScale}, 13: {"Body+", wearables.DeviceScale},
	18: {"Body Comp", wearables.DeviceScale},
	21: {"Smart Baby Monitor", wearables.DeviceUnknown}, 22: {"Withings Home", wearables.DeviceUnknown},
	41: {"Withings Blood Pressure Monitor V1", wearables.DeviceUnknown}, 42: {"Withings Blood Pressure Monitor V2", wearables.DeviceUnknown},
	43: {"Withings Blood Pressure Monitor V3", wearables.DeviceUnknown}, 44: {"BPM Core", wearables.DeviceUnknown},
	45: {"BPM Connect", wearables.DeviceUnknown}, 46: {"BPM Connect Pro", wearables.DeviceUnknown},
	47: {"BPM Pro 2", wearables.DeviceUnknown}, 48: {"BPM Vision", wearables.DeviceUnknown},
	51: {"Pulse", wearables.DeviceWatch}, 52: {"Activite", wearables.DeviceWatch}, 53: {"Activite (Pop, Steel)", wearables.DeviceWatch},
	54: {"Withings Go", wearables.DeviceWatch}, 55: {"Activite Steel HR", wearables.DeviceWatch}, 58: {"Pulse HR", wearables.DeviceWatch},
	59: {"Activite Steel HR Sport Edition", wearables.DeviceWatch},
	60: {"Aura Dock", wearables.DeviceUnknown}, 61: {"Aura Sensor", wearables.DeviceUnknown}, 62: {"Aura Dock", wearables.DeviceUnknown},
	63: {"Aura Sensor V2", wearables.DeviceUnknown},
	70: {"Thermo", wearables.DeviceUnknown}, 71: {"BeamO", wearables.DeviceUnknown},
	90: {"Move", wearables.DeviceWatch}, 91: {"Move ECG", wearables.DeviceWatch}, 92: {"Move ECG", wearables.DeviceWatch},
	93: {"ScanWatch", wearables.DeviceWatch}, 94: {"ScanWatch 2", wearables.DeviceWatch}, 95: {"ScanWatch Light", wearables.DeviceWatch},
	100:  {"WUP01", wearables.DeviceUnknown},
	1051: {"iOS step tracker", wearables.DevicePhone}, 1052: {"iOS step tracker", wearables.DevicePhone},
	1053: {"Android step tracker", wearables.DevicePhone}, 1054: {"Android step tracker", wearables.DevicePhone},
	1055: {"GoogleFit tracker", wearables.DeviceApp}, 1056: {"Samsung Health tracker", wearables.DeviceApp},
	1057: {"HealthKit step iPhone tracker", wearables.DevicePhone}, 1058: {"HealthKit step Apple Watch tracker", wearables.DeviceWatch},
	1059: {"HealthKit other step tracker", wearables.DeviceApp}, 1060: {"Google Health Connect", wearables.DeviceApp},
	1061: {"Iglucose glucometer", wearables.DeviceUnknown}, 1062: {"Huawei tracker", wearables.DeviceApp},
	1063: {"Lingo Sensor", wearables.DeviceUnknown},
}

// Sleep summaries' "model": the kind of device, not the model.
const (
	sleepModelTracker = 16
	sleepModelMonitor = 32
)

// source returns the wearables.Source of a record from the given model id
// and model name (either may be missing): a known model id names the
// device with the table's name, so every feed spells one device alike;
// otherwise Withings' own name is kept. manual marks data a person typed
// in.
func source(modelID int, model *string, manual bool) wearables.Source {
	s := wearables.Source{Provider: wearables.ProviderWithings, DeviceType: wearables.DeviceUnknown}
	if d, ok := devices[modelID]; ok {
		s.DeviceModel, s.DeviceType = d.name, d.typ
	} else if model != nil && *model != "" {
		s.DeviceModel = *model
	} else if modelID > 0 {
		s.DeviceModel = "Withings model " + strconv.Itoa(modelID)
	}
	if manual {
		s.RecordingMethod = wearables.RecordingManual
		if s.DeviceModel == "" {
			s.DeviceType = wearables.DeviceApp
		}
	}
	return s
}

// manualAttrib reports whether a measure group's or workout's attrib says
// a person entered it: 2 (entered manually) or 4 (entered at account
// creation).
func manualAttrib(attrib int) bool { return attrib == 2 || attrib == 4 }

package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTriggerScheduleValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		kind, schedule string
		ok             bool
	}{
		{"Rate", "1m", true}, {"Rate", "60m", true}, {"Rate", "61m", false}, {"Rate", "24h", true}, {"Rate", "25h", false},
		{"Rate", "30d", true}, {"Rate", "31d", false}, {"Rate", "0m", false}, {"Rate", "3s", false}, {"Rate", "3", false}, {"Rate", "m", false},
		{"Cron", "0 30 8 * * MON-FRI", true}, {"Cron", "0 0/30 * * * ?", true}, {"Cron", "0 0 12 1,15 * *", true},
		{"Cron", "0 0 12 * JAN-MAR", true}, {"Cron", "*/10 * * * * *", true},
		{"Cron", "@every 30m", true}, {"Cron", "@every 2h30m", true}, {"Cron", "@every 1.5h", true}, {"Cron", "@every soon", false},
		{"Cron", "* * *", false}, {"Cron", "60 * * * * *", false}, {"Cron", "0 0 24 * * *", false}, {"Cron", "0 0 0 0 * *", false},
		{"Cron", "0 0 0 * 13 *", false}, {"Cron", "0 0 0 * * 7", false}, {"Cron", "0 0 0 * * FOO", false}, {"Cron", "0 */0 * * * *", false},
		{"Cron", "0 0 5-1 * * *", false}, {"Cron", "? * * * * *", false},
		{"Cron", "CRON_TZ=Europe/Berlin 0 30 8 * * MON-FRI", true}, {"Cron", "CRON_TZ=Nowhere/Atlantis 0 30 8 * *", false}, {"Cron", "0 15 2 * * ? 2030", false},
		// Ranges, steps and names together; a range's upper end out of bounds; an empty zone.
		{"Cron", "0 0 8-18/2 * * mon-fri", true}, {"Cron", "0 0 8-25 * * *", false}, {"Cron", "0 0 1-x * * *", false}, {"Cron", "CRON_TZ= 0 0 8 * * *", false},
	}
	for _, tc := range cases {
		err := validateSchedule(tc.kind, tc.schedule)
		assert.Equal(t, tc.ok, err == nil, "%s %q: %v", tc.kind, tc.schedule, err)
	}
}

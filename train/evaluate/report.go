package evaluate

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Report writes r as text: the audio streamed, the false alarms at the
// settings in effect with the labels reported and the files that fired,
// then a line per threshold (with the commands missed, when counted) and
// the threshold Pick chose.
func (r *NegativesResult) Report(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, s := range r.Negatives {
		if s.Kind == "clips" {
			fmt.Fprintf(bw, "%s: %d clips, %s of audio", s.Path, s.Clips, seconds(s.Seconds))
			if s.Skipped > 0 {
				fmt.Fprintf(bw, " (%d unreadable clips skipped)", s.Skipped)
			}
			fmt.Fprintln(bw)
		} else {
			fmt.Fprintf(bw, "%s: %s of audio\n", s.Path, seconds(s.Seconds))
		}
	}
	gap := time.Duration(r.GapMs * float64(time.Millisecond))
	fmt.Fprintf(bw, "negatives: %s of audio in all (a folder's clips %v of silence apart; the gaps are not counted)", seconds(r.Seconds), gap)
	if r.Noise != "" {
		fmt.Fprintf(bw, ", noise from %s at %g dB SNR (seed %d)", r.Noise, *r.SNRdB, r.Seed)
	}
	fmt.Fprintln(bw)
	c := r.config.WithDefaults()
	a := r.AtModel
	fmt.Fprintf(bw, "%s at threshold %g (hop %v, average %v): %d false alarms, %.1f an hour",
		r.Model, a.Threshold, c.Hop, c.AverageWindow, a.FalseAlarms, a.FalseAlarmsPerHour)
	if a.MissRate != nil {
		fmt.Fprintf(bw, "; %.1f%% of %d commands missed", 100*pointMissRate(a.Point), a.Commands)
	}
	fmt.Fprintln(bw)
	if len(a.Labels) > 0 {
		labels := make([]string, 0, len(a.Labels))
		for l := range a.Labels {
			labels = append(labels, l)
		}
		sort.Slice(labels, func(i, j int) bool {
			ni, nj := a.Labels[labels[i]], a.Labels[labels[j]]
			return ni > nj || ni == nj && labels[i] < labels[j]
		})
		for i, l := range labels {
			labels[i] = fmt.Sprintf("%s %d", l, a.Labels[l])
		}
		fmt.Fprintf(bw, "  labels reported: %s\n", strings.Join(labels, ", "))
		fmt.Fprintln(bw, "  files that fired:")
		for _, f := range a.Files {
			fmt.Fprintf(bw, "    %3d  %s\n", f.FalseAlarms, f.File)
		}
	}
	withMiss := r.Commands != nil
	fmt.Fprintf(bw, "\nthreshold  false alarms  an hour")
	if withMiss {
		fmt.Fprintf(bw, "  missed  of commands")
	}
	fmt.Fprintln(bw)
	for _, p := range r.Sweep {
		fmt.Fprintf(bw, "%9g  %12d  %7.1f", p.Threshold, p.FalseAlarms, p.FalseAlarmsPerHour)
		if withMiss {
			fmt.Fprintf(bw, "  %5.1f%%  %d", 100*pointMissRate(p), p.Commands)
		}
		fmt.Fprintln(bw)
	}
	switch {
	case r.Budget == nil:
	case r.Chosen == nil:
		fmt.Fprintf(bw, "budget %g false alarms an hour: no threshold swept keeps within it\n", *r.Budget)
	default:
		fmt.Fprintf(bw, "budget %g false alarms an hour: threshold %g (%.1f false alarms an hour", *r.Budget, r.Chosen.Threshold, r.Chosen.FalseAlarmsPerHour)
		if r.Chosen.MissRate != nil {
			fmt.Fprintf(bw, ", %.1f%% of commands missed", 100**r.Chosen.MissRate)
		}
		fmt.Fprintln(bw, ")")
	}
	return bw.Flush()
}

// seconds formats a number of seconds as 1h2m3s, to the second.
func seconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

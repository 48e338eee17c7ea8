// Package recipe is listen's training recipe as one call: [Train] scans a
// folder of labelled WAV clips, splits it by speaker into training,
// validation and test, trains the LSTM classifier with checkpoints, tests
// it on the held-out speakers and returns the model and its metrics. `listen
// train` is a thin layer over it: it maps its flags onto [Options] with
// [Options.RegisterFlags] and prints what Train reports.
//
// The repository's layout reads in three parts: the front door (package
// listen at the module root), the pipeline (audio, mfcc, model,
// model/detect) and the training side (datasets, train, and this package).
// Package train is the training loop; it touches no files. This package
// wires datasets, train and model together and does the file work around
// them: it reads the data folder (and may synthesise other speech into it,
// see [Options.Unknown]), writes checkpoints (to a temporary file, read
// back and compared, then renamed), the per-epoch metrics, the model and
// its plots. It prints nothing: lines for people go to [Options.Report],
// progress bars to [Options.Progress].
//
// # Defaults
//
// [Default] returns the recipe `listen train` runs with no flags. Each
// option is named by its flag in error messages and in the record of a run
// that checkpoints and models keep (a JSON object from flag name to value,
// under "flags"), so that a run started from Go and one started from the
// command line record themselves alike and resume alike.
//
// # Reproducibility
//
// For a given Seed and Workers, a run gives the same weights bit for bit
// whether it runs straight through or is interrupted (by cancelling its
// context) and resumed from its checkpoint: see [ReadCheckpoint] and
// package train.
//
// Ensembles of models trained alike are built by [Ensemble].
package recipe

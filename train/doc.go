// Package train fits a classifier to batches of feature sequences: the
// training loop of listen, with its optimizers, learning-rate schedule,
// gradient clipping, validation, early stopping, checkpoints and progress
// reports, and the evaluation that follows it (accuracy, per-class precision
// and recall, confusion matrix, plots).
//
// The package touches no files and starts no processes of its own. It reads
// batches from a [Source] (package datasets supplies one), computes
// gradients through a [Net] (an adapter over package model's data-parallel
// trainer), reports progress to an io.Writer and hands checkpoints to a
// callback, which package train/recipe writes to disk atomically.
//
// Shapes: a [Batch] holds N clips of T frames of F features, clip-major:
// X[(i*T+t)*F+f]. Labels are class indices in [0, classes).
//
// Reproducibility: for a given seed (and, through the Net, a given worker
// count), [Run] produces the same weights bit for bit whether it runs
// straight through or is interrupted and resumed from any checkpoint. All
// randomness that train itself draws (spectrogram masks, the dropout seed
// passed to the Net) is a function of the seed and the global step, the
// optimizer state is saved in full, and the Source must yield the same
// batches for the same epoch.
package train

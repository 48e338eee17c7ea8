// Package mfccview writes a clip's MFCC frames (or log mel energies) for
// people and other tools to read: a text table with each frame's start
// time, CSV that reads back to the same float32 values, JSON, and a PNG
// heat map with time across and coefficient up. `listen features` is a thin
// command over it.
//
// It writes to an io.Writer and opens no files; the frames come from
// mfcc.Extractor.Compute, row-major, Frames.Coeffs values a frame.
package mfccview

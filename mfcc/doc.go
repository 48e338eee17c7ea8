// Package mfcc computes mel-frequency cepstral coefficients (MFCCs), the
// features the listen models read, from 16 kHz mono samples.
//
// The default Config reproduces torchaudio 0.13's transforms.MFCC with
// center=False, HTK mel scale and log mels (see DefaultConfig); every value
// is within 1e-3 of torchaudio's on the real speech clips in
// testdata/mfcc.
package mfcc

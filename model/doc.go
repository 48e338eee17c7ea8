// Package model is a stacked LSTM many-to-one classifier for short clips of
// feature frames (MFCCs), trained with backpropagation through time, and
// saved as safetensors that PyTorch reads and writes.
//
// # Shapes and layout
//
// Input is a batch of clips, batch x T x Inputs float32, row-major and
// batch-first (PyTorch's batch_first=True). Each LSTM layer has torch.nn.LSTM's
// parameters and gate order i, f, g, o: weight_ih (4H x In), weight_hh
// (4H x H), bias_ih and bias_hh (4H); a dense layer fc (Classes x H) maps
// the last hidden state to class scores, turned into probabilities by a
// softmax and trained with cross-entropy. All parameters live in one flat
// []float32 (Model.Params) in torch state_dict order; gradients and
// optimizer state have the same layout.
//
// Before the first layer each clip may be normalised (Config.CMN: subtract
// its per-feature mean over time; Config.InputMean/InputStd: standardise).
// Dropout (Config.Dropout) applies between layers and before fc, in training
// only, exactly where torch_ref.py's nn.LSTM(dropout=p) and nn.Dropout put it.
// Config.LabelSmoothing trains against smoothed targets, as PyTorch's
// CrossEntropyLoss(label_smoothing=e) does.
//
// # Many-to-one LSTM
//
// At each frame t a layer reads its input x_t and its own previous state
// h_{t-1}, c_{t-1}:
//
//	i, f, o = sigmoid(W_i·[x_t,h_{t-1}] + b), ...   input, forget, output gates
//	g       = tanh(W_g·[x_t,h_{t-1}] + b)           candidate
//	c_t = f*c_{t-1} + i*g,   h_t = o*tanh(c_t)
//
// The same weights serve every time step (they are shared across time), so
// a clip of any length uses the same model. Layer l+1 reads layer l's h_t as
// its input sequence. The network is many-to-one: only the top layer's last
// hidden state h_{T-1}, which has seen the whole clip, feeds the classifier.
//
// # Backpropagation through time
//
// Training unrolls the recurrence over the T frames, keeps every step's gate
// values and cell states (the Workspace's caches), and runs the chain rule
// backwards from the last step to the first. Because the weights are shared,
// each weight's gradient is the sum of its gradients at every step. The
// input projections of all steps are one matrix product before the
// recurrence, each step's recurrent product covers all four gates and the
// whole batch, and the weight gradients are one product over all steps
// after it.
//
// # Exploding and vanishing gradients
//
// Going back through T steps multiplies the gradient by the recurrent
// Jacobian T times. If it grows (explodes), one batch can throw the weights
// far away: ClipGlobalNorm rescales the whole gradient vector to a maximum
// norm (5 in the reference recipe) and reports the norm so training can log
// it. If it shrinks (vanishes), early frames stop influencing learning; the
// LSTM's additive cell path c_t = f*c_{t-1} + ... is the remedy, since the
// gradient through it is scaled only by the forget gate f. New therefore
// starts the forget-gate bias at 1 (f near 0.73, not 0.5) and the recurrent
// weights orthogonal, so gradients survive the 97 frames of a one-second
// clip from the first step on.
//
// # Training
//
// A Workspace (one per worker) holds all per-step caches, sized once;
// TrainBatch and Predict allocate nothing. A Trainer splits a batch across
// several workspaces in fixed contiguous shards and sums their gradients in
// a fixed order, so a seed gives the same result for a given worker count
// (Trainer.Seed restarts the dropout sources, for runs resumed from a
// checkpoint). ClipGlobalNorm, then Adam (or AdamW, or SGD) Step, complete a
// step; Trainer.Step does all three. Dropout draws from math/rand/v2.
//
// BenchmarkTrainStep times the reference step (batch 64, 97 x 40, 2 x 128,
// 12 classes, forward + backward + clip + Adam) with one worker and with
// GOMAXPROCS workers, in examples per second of wall time and of CPU time
// (the second is what to compare on a busy machine); BenchmarkPredict times
// one 1-second clip and BenchmarkTrainMemory the memory of training.
//
// # Files
//
// Encode and Decode use safetensors: float32 little-endian tensors named
// lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0,
// ..., fc.weight, fc.bias, and string __metadata__ with format_version,
// labels (JSON), features (mfcc.Config JSON), architecture (Config JSON),
// window_samples and training (JSON). EncodeHalf writes the same tensors
// in IEEE half precision (F16), for files half the size; Decode reads
// either dtype into float32. Decode checks every field and never trusts a
// length it has not read.
//
// # Ensembles
//
// NewEnsemble joins networks trained alike into one Model whose Predict is
// the mean of their class probabilities; each network costs its own forward
// pass. Its file holds the first network as above and the others with
// their tensor names prefixed member2., member3., ..., their architectures
// in __metadata__["ensemble"]. An ensemble is for prediction only.
package model

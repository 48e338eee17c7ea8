# The exact command that built default.safetensors (listen at the commit that
# added this file, on a 2-core x86-64 machine with AVX2). -workers fixes the
# gradient summation order, so the same data, seed and worker count give the
# same weights bit for bit: a rebuild with a later commit gave identical
# tensors (and the same 79.40% on the test split). Only the training notes in
# the file's metadata differ: they record the paths, times and speeds of the
# run. DATA is ../shared/data (Speech Commands, Warden 2018,
# CC BY 4.0): speech_commands_v0.02_test12 and _background_noise_.
listen train -data DATA/speech_commands_v0.02_test12 -noise DATA/_background_noise_ -val-pct 15 -test-pct 15 -seed 1 -workers 2 -out default.safetensors

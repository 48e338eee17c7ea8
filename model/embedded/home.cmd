# The exact commands that built model/embedded/home.safetensors (issue 7).
# Run from the repository root with bash. SHARED is the shared data folder
# (Speech Commands clips and _background_noise_); W a scratch folder.
# CPU: synthesis about 1 CPU-minute, training about 6 CPU-minutes per seed (3 to 5 minutes wall each, shared) on the 2-core build machine.
set -e
SHARED=${SHARED:-../shared/data}
W=${W:-/tmp/home-build}
mkdir -p $W
# The networks were trained by listen at commit 9a68c6f; later commits leave
# out of -unknown the clips the v0.01 sample's testing_list.txt names, which
# changes every random draw after them (a rebuild at a later commit scored lower and
# was not shipped: docs/experiments.md). So this builds listen at that commit
# (in a clone with its history).
mkdir -p $W/src && git archive 9a68c6f | tar -x -C $W/src
(cd $W/src && go build -o $W/listen ./cmd/listen)
N=$SHARED/_background_noise_

# Voices never trained on, kept for checking: espeak-ng's plain en-us-nyc voice
# (-exclude-voices matches whole names: its +m1..+f4 variants were trained on)
# and flite's kal, kal16 and slt (festival's kal_diphone and cmu_us_slt_arctic_hts
# are other renderings of the kal and slt recordings), plus all of festival.
# The clips were made by listen synth at commit 1c03086; a later synth may make others.
HOLDOUT=en-us-nyc,flite_kal,flite_slt

# 1. The six commands, 800 clips each, from espeak-ng's and flite's other voices.
$W/listen synth -q -dir $W/home -n 800 -seed 21 -noise $N -exclude-voices $HOLDOUT \
  -phrases "hey, what is the temperature; turn on the lights; turn off the lights; what time is it; play some music; stop the music"

# 2. Other speech for _unknown_: 60 everyday phrases and words, some sharing
#    words with the commands (listen train's built-in list), 15 clips each.
$W/listen synth -q -dir $W/other -n 15 -seed 2 -noise $N -exclude-voices $HOLDOUT \
  -phrases "good morning; how are you; open the door; close the window; call my mother; set an alarm; the weather is nice today; it is cold outside; i like music; turn left; turn right; lights; music; time; temperature; hey; okay; thank you; see you later; where are my keys; read the news; lock the door; go to sleep; what is your name; one two three; yes please; no thanks; start the timer; stop; play; on; off; the music is loud; it is time to go; turn it up; turn it down; switch on the heater; what day is it; what is the date; play the video; stop the video; pause; next song; volume up; dim the lights; hello there; good night; how is the weather; tell me a joke; remind me tomorrow; add milk to the list; open the garage; feed the cat; water the plants; call the office; turn on the fan; turn off the radio; play a game; stop the car; the lights are off"

# 3. Train: _unknown_ from the real Speech Commands words (split by speaker:
#    the test speakers' clips are never trained on) and the synthesised other
#    speech; _silence_ cut from the background noise. The window (2.6 s) comes
#    from the clips; -hop 20ms halves the frames; -place and -tight show the
#    model words anywhere in the window and short recordings padded at the end.
#    -warp 0 -noise-max 0.1 were the defaults when these models were built
#    (-warp 0.1 measured worse here); -speed 0.15 and the three-seed ensemble
#    were chosen on the held-out espeak-ng/flite voices alone, as were
#    threshold 0.8 and the 500 ms average. The same data, seed and worker
#    count give the same weights bit for bit. Figures: docs/experiments.md
#    ("The home model, build by build"); model card: docs/models.md.
for seed in 1 2 3; do
$W/listen train -data $W/home -noise $N \
  -unknown $SHARED/speech_commands_v0.02_test12,$SHARED/speech_commands_v0.01_sample,$W/other \
  -unknown-pct 60 -silence-pct 10 -hop 20ms -hidden 128 -layers 1 -lr 2e-3 -epochs 30 -ema 0 \
  -place 0.7 -tight 0.3 -schedule constant -warmup 0 -batch 64 -dropout 0.3 -seed $seed -workers 2 \
  -warp 0 -noise-max 0.1 -speed 0.15 -detect "threshold=0.8,average=500ms" -out $W/home-$seed.safetensors
# then 6 more epochs with more of the short, end-padded clips
$W/listen train -resume -out $W/home-$seed.safetensors -epochs 36 -tight 0.6
done
$W/listen ensemble -detect "threshold=0.8,average=500ms" -out $W/home.safetensors \
  $W/home-1.safetensors $W/home-2.safetensors $W/home-3.safetensors
cp $W/home.safetensors model/embedded/home.safetensors
# (The shipped file's training notes were later rewritten without the
# build machine's paths, its tensors kept byte for byte.)

# 4. The checks (figures in docs/models.md):
#    festival's voices in background noise, SNR 5-20 dB
#      go run model/embedded/home_check.go -out $W/check -noise $N
#      $W/listen classify -json -model home $W/check/window   (2.5 s clips: the speech anywhere in noise)
#      $W/listen classify -json -model home $W/check/tight    (speech with 0.1-0.3 s of noise around, padded by classify)
#    held-out espeak-ng/flite voices
#      $W/listen synth -q -dir $W/check_held -n 60 -seed 11 -noise $N -voices $HOLDOUT -window 2.5s -phrases "<the six phrases>"
#    false alarms: an hour of the test speakers' real words (none of the phrases) on the background noise
#      $W/listen mkstream -data FA -noise $N -out $W/fa_hour.wav -truth $W/fa_hour.truth -words <the six labels> \
#        -minutes 60 -unknown-pct 100 -speakers TEST_SPEAKERS -seed 3
#      $W/listen classify -json -model home $W/fa_hour.wav      (every detection is a false alarm)
#    where FA is a folder of links to every word folder of speech_commands_v0.02_test12 (and its
#    _unknown_) and speech_commands_v0.01_sample, and TEST_SPEAKERS the speakers that
#    datasets.SpeakerSplit(speaker, 10, 10) puts in Testing (35 speakers, 238 clips).

# 5. The threshold (2026-12-03): chosen with listen eval -negatives on the
#    validation negatives (other words of unseen speakers, 8.4 minutes, clean and
#    with background noise at 10 dB SNR) and the held-out voices' phrase stream,
#    as the fewest misses within 2 false alarms an hour; the tensors unchanged:
#      go run model/embedded/setdetect.go -in home.safetensors -out home.safetensors \
#        -detect "threshold=0.95,average=500ms"
#
# 6. The weights in half precision (2026-12-05), a file half the size, the
#    figures unchanged (docs/experiments.md):
#      go run model/embedded/setdetect.go -in home.safetensors -out home.safetensors -half

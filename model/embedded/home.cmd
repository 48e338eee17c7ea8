# The exact commands that built model/embedded/home.safetensors (issues 7
# and 32). Run from the repository root with bash, with listen built at the
# commit that added this file on PATH. SHARED is the shared data folder, W
# a scratch folder; NEG and default.cmd's steps 1 (scripts/negatives.py and
# the synthesised other words, NEG/synth-others) come first.
# CPU: synthesis a few CPU-minutes; mining about 10; training about 20
# minutes a network on the 2-core build machine (another training beside).
# Voices never trained on, kept for checking: espeak-ng's plain en-us-nyc
# voice (-exclude-voices matches whole names: its +m1..+f4 variants were
# trained on) and flite's kal and kal16, and festival's voices
# (model/embedded/home_check.go). flite's slt, held out too until the
# festival check showed the female voice was the phrases' weak point, is
# trained on (step 1b). The same data, seed and worker
# count give the same weights bit for bit. Figures: docs/experiments.md
# ("Round two: hard negatives and rooms"); model card: docs/models.md.
set -e
SHARED=${SHARED:-../shared/data}
W=${W:-/tmp/home-build}
NEG=${NEG:-$W/neg}
N=$SHARED/_background_noise_
HOLDOUT=en-us-nyc,flite_kal,flite_slt
mkdir -p $W

# 1. The six phrases, 800 clips each, from espeak-ng's and flite's other voices.
listen synth -q -dir $W/phrases -n 800 -seed 21 -noise $N -exclude-voices $HOLDOUT -workers 1 \
  -phrases "hey, what is the temperature; turn on the lights; turn off the lights; what time is it; play some music; stop the music"

# 1b. 160 more clips of each phrase by flite's slt, for training only.
listen synth -q -dir $W/phrases-slt -n 160 -seed 22 -window 2.6s -noise $N -voices flite_slt -workers 2 \
  -phrases "hey, what is the temperature; turn on the lights; turn off the lights; what time is it; play some music; stop the music"

# 2. Other speech for _unknown_: 60 everyday phrases and words (15 clips
#    each, as before), and 142 English sentences (home-sentences.txt, 8
#    clips each), many sharing words with the phrases ("turn the page",
#    "the music was loud", "what a time we had", "turn on the radio").
listen synth -q -dir $W/other -n 15 -seed 2 -noise $N -exclude-voices $HOLDOUT -workers 1 \
  -phrases "good morning; how are you; open the door; close the window; call my mother; set an alarm; the weather is nice today; it is cold outside; i like music; turn left; turn right; lights; music; time; temperature; hey; okay; thank you; see you later; where are my keys; read the news; lock the door; go to sleep; what is your name; one two three; yes please; no thanks; start the timer; stop; play; on; off; the music is loud; it is time to go; turn it up; turn it down; switch on the heater; what day is it; what is the date; play the video; stop the video; pause; next song; volume up; dim the lights; hello there; good night; how is the weather; tell me a joke; remind me tomorrow; add milk to the list; open the garage; feed the cat; water the plants; call the office; turn on the fan; turn off the radio; play a game; stop the car; the lights are off"
listen synth -q -dir $W/sentences -n 8 -seed 41 -window 3s -noise $N -exclude-voices $HOLDOUT -workers 1 \
  -phrases "$(paste -sd';' model/embedded/home-sentences.txt)"

# 3. Hard negatives: the home model before this one (git show
#    323bd9d:model/embedded/home.safetensors) run over neg-train, the read
#    sentences included; 641 windows of 2.6 s where it scored a phrase at
#    0.5 or more (503 of them "hey, what is the temperature") and 230 at
#    random.
git show 323bd9d:model/embedded/home.safetensors > $W/home-before.safetensors
listen mine -model $W/home-before.safetensors -out $W/mined0 -level 0.5 -random 4 -workers 1 $NEG/neg-train

# 4. Three networks: the recipe of the model before (one LSTM layer of 128,
#    2.6 s window from the clips, -place 0.7 -tight 0.3, -speed 0.15), with
#    the other speech at twice the phrases' number, and the rooms.
for seed in 1 2 3; do
listen train -data $W/phrases -extra $W/phrases-slt -noise $N \
  -unknown $SHARED/speech_commands_v0.02_test12,$SHARED/speech_commands_v0.01_sample,$W/other,$W/sentences,$W/mined0,$NEG/neg-train-clips,$NEG/synth-others \
  -unknown-pct 200 -silence-pct 10 -hop 20ms -hidden 128 -layers 1 -lr 2e-3 -epochs 30 -ema 0 \
  -place 0.7 -tight 0.3 -schedule constant -warmup 0 -batch 64 -dropout 0.3 -seed $seed -workers 2 \
  -warp 0 -noise-max 0.1 -speed 0.15 -reverb 0.3 -band 0.4 -gain 6 \
  -detect "threshold=0.9,average=500ms" -out $W/home-$seed.safetensors
done

# 5. Averaged, in half precision; the threshold is the one with the fewest
#    misses of the held-out voices' stream within 1 false alarm in the 49
#    minutes of neg-val (read sentences, Arabic and English words, a wake
#    word; 1 is 1.2 an hour, 2 would be over issue 32's 2 an hour), clean
#    and at 10 dB SNR: 0.75 (chosen with the networks averaged at full
#    precision; the figures in half precision were then measured, the
#    same). The held-out voices: en-us-nyc and flite's kal and kal16
#    (held2: held's clips without slt's, which step 1b trains on).
listen synth -q -dir $W/held -n 60 -seed 31 -noise $N -voices $HOLDOUT -workers 1 \
  -phrases "hey, what is the temperature; turn on the lights; turn off the lights; what time is it; play some music; stop the music"
mkdir -p $W/held2 && cp $W/held/labels.txt $W/held2/
for d in $W/held/*/; do
  mkdir -p $W/held2/$(basename $d)
  for f in $d*.wav; do case $(basename $f) in flite_slt*) ;; *) ln -s $(realpath $f) $W/held2/$(basename $d)/;; esac; done
done
WORDS=$(grep -v "^#" $W/held/labels.txt | cut -f1 | paste -sd,)
listen mkstream -data $W/held2 -words "$WORDS" -noise $N -unknown-pct 0 -seed 5 -minutes 20 -out $W/hstream2.wav -truth $W/hstream2.txt
listen ensemble -half -detect "threshold=0.75,average=500ms" -out $W/home.safetensors \
  $W/home-1.safetensors $W/home-2.safetensors $W/home-3.safetensors
for snr in none 10; do
noise=""; [ $snr = none ] || noise="-noise $N -snr $snr"
listen eval -negatives $NEG/neg-val $noise -stream $W/hstream2.wav -truth $W/hstream2.txt -tolerance 1.5s \
  -model $W/home.safetensors -workers 1 -thresholds 0.5,0.6,0.7,0.75,0.8,0.85,0.88,0.9,0.92,0.94,0.95,0.96,0.97,0.98,0.99 -budget 2
done
listen eval -data $W/held2 -model $W/home.safetensors
# festival's voices, never trained on (festival, festvox-kallpc16k,
# festvox-kdlpc16k, festvox-us-slt-hts), in 2.5 s windows and closely cut.
go run model/embedded/home_check.go -out $W/fest -noise $N
listen classify -model $W/home.safetensors -top 1 $W/fest/window $W/fest/tight
cp $W/home.safetensors model/embedded/home.safetensors

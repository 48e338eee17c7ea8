#!/usr/bin/env python3
"""Expected split assignments for datasets' golden test.

Reads file names (WORD/FILE.wav, one a line) and prints, for each, the
assignment of TensorFlow's speech_commands input_data.which_set with 10 %
validation and 10 % testing, its percentage hash, and the speaker-split hashes
(SHA-1 of "val:"+speaker and "test:"+speaker, mod 100, as
shared/bench/torch_ref.py's is_val). Only names are used, never audio.

Regenerate (from the repository root):
    python3 testdata/datasets/which_set.py < testdata/datasets/names.txt > testdata/datasets/which_set.golden
"""
import hashlib
import os
import re
import sys

MAX_NUM_WAVS_PER_CLASS = 2**27 - 1  # ~134M, as in input_data.py


def which_set(filename, validation_percentage, testing_percentage):
    # The body of tensorflow/examples/speech_commands/input_data.py which_set.
    base_name = os.path.basename(filename)
    hash_name = re.sub(r'_nohash_.*$', '', base_name)
    hash_name_hashed = hashlib.sha1(hash_name.encode()).hexdigest()
    percentage_hash = ((int(hash_name_hashed, 16) %
                        (MAX_NUM_WAVS_PER_CLASS + 1)) *
                       (100.0 / MAX_NUM_WAVS_PER_CLASS))
    if percentage_hash < validation_percentage:
        result = 'validation'
    elif percentage_hash < (testing_percentage + validation_percentage):
        result = 'testing'
    else:
        result = 'training'
    return result, percentage_hash


def speaker(filename):
    # torch_ref.py: the part before _nohash_, last "_" field.
    return os.path.basename(filename).split("_nohash_")[0].split("_")[-1]


def bucket(prefix, spk):
    return int(hashlib.sha1((prefix + spk).encode()).hexdigest(), 16) % 100


print("# name which_set(10,10) percentage_hash speaker val_bucket test_bucket")
print("# python3 %d.%d.%d hashlib; see which_set.py for the command" % sys.version_info[:3])
for line in sys.stdin:
    name = line.strip()
    if not name:
        continue
    s, p = which_set(name, 10, 10)
    spk = speaker(name)
    print(name, s, repr(p), spk, bucket("val:", spk), bucket("test:", spk))

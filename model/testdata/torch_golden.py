#!/usr/bin/env python3
"""PyTorch parity goldens for package model.

(a) Reads go_written.safetensors (written by this package: go test ./model
    -run TestTorchParity -update), loads its tensors into torch.nn.LSTM +
    nn.Linear, applies the input normalisation its architecture metadata
    asks for (CMN, input_mean/input_std), and records softmax probabilities
    on parity_input.json in go_written_probs.json.
(b) Builds a torch model (torch.manual_seed(7)), writes it as
    torch_written.safetensors (format written by hand: this machine has no
    safetensors package; same layout as safetensors.torch.save_file), and
    records its probabilities on the same input in torch_written_probs.json.

usage (from the repository root):
    go test ./model -run TestTorchParity -update
    /usr/bin/python3 model/testdata/torch_golden.py model/testdata
"""
import json, os, struct, sys
import torch, torch.nn as nn

d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)
torch.set_num_threads(1)
COMMAND = "/usr/bin/python3 model/testdata/torch_golden.py model/testdata"


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", info
        lo, hi = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[lo:hi]), dtype=torch.float32)
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors, meta


def write_safetensors(path, state, meta):
    header = {"__metadata__": meta}
    blobs, off = [], 0
    for name, t in state.items():
        b = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class Net(nn.Module):
    def __init__(self, n_in, hidden, layers, n_out, dropout=0.0):
        super().__init__()
        self.lstm = nn.LSTM(n_in, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden, n_out)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(self.drop(out[:, -1]))


def normalise(x, arch):
    if arch.get("cmn"):
        x = x - x.mean(1, keepdim=True)
    if arch.get("input_mean") is not None:
        x = x - torch.tensor(arch["input_mean"])
    if arch.get("input_std") is not None:
        x = x / torch.tensor(arch["input_std"])
    return x


def probs(net, x, arch):
    net.eval()
    with torch.no_grad():
        return torch.softmax(net(normalise(x, arch)), dim=1)


def dump(path, p, note):
    with open(path, "w") as f:
        json.dump({"torch_version": torch.__version__, "command": COMMAND, "note": note,
                   "shape": list(p.shape), "probs": p.flatten().tolist()}, f)
        f.write("\n")


with open(os.path.join(d, "parity_input.json")) as f:
    inp = json.load(f)
x = torch.tensor(inp["x"], dtype=torch.float32).reshape(inp["shape"])

# (a) weights written by Go, run through torch.
state, meta = read_safetensors(os.path.join(d, "go_written.safetensors"))
arch = json.loads(meta["architecture"])
net = Net(arch["inputs"], arch["hidden"], arch["layers"], arch["classes"], arch.get("dropout", 0))
net.load_state_dict(state)
dump(os.path.join(d, "go_written_probs.json"), probs(net, x, arch),
     "torch.nn.LSTM + nn.Linear on go_written.safetensors, eval mode, normalised as its architecture says")

# (b) a model made and written by torch.
torch.manual_seed(7)
F, H, L, C = inp["shape"][2], 24, 2, 4
net = Net(F, H, L, C)
with torch.no_grad():
    for p in net.parameters():
        p.add_(0.2 * torch.randn_like(p))  # move away from init so every tensor matters
arch = {"inputs": F, "hidden": H, "layers": L, "classes": C, "dropout": 0, "cmn": False}
meta = {"format_version": "1", "labels": json.dumps(["a", "b", "c", "d"]),
        "architecture": json.dumps(arch), "training": json.dumps({"by": "torch " + torch.__version__})}
write_safetensors(os.path.join(d, "torch_written.safetensors"), net.state_dict(), meta)
dump(os.path.join(d, "torch_written_probs.json"), probs(net, x, arch),
     "probabilities of the torch model saved as torch_written.safetensors")
print("torch", torch.__version__, "wrote goldens to", d)

# (c) Adam and AdamW steps, for the optimizer tests.
torch.manual_seed(3)
p0 = torch.randn(10)
grads = [torch.randn(10) for _ in range(4)]
out = {"torch_version": torch.__version__, "command": COMMAND, "p0": p0.tolist(),
       "grads": [g.tolist() for g in grads]}
for name, mk in [("adam", lambda p: torch.optim.Adam([p], lr=1e-2)),
                 ("adamw", lambda p: torch.optim.AdamW([p], lr=1e-2, weight_decay=0.1))]:
    p = torch.nn.Parameter(p0.clone())
    opt = mk(p)
    for g in grads:
        p.grad = g.clone()
        opt.step()
    out[name] = p.detach().tolist()
with open(os.path.join(d, "adam_golden.json"), "w") as f:
    json.dump(out, f)
    f.write("\n")

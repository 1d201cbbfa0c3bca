"""Reference outputs from Debian's torchvision for the Java parity tests.

usage: torchvision_reference.py MODEL OUT_DIR SIZE TRANSFORM_INPUT LR AUX_WEIGHT BATCH

Builds torchvision's MODEL (googlenet | inception_v3) with aux heads from a fixed seed, randomises BatchNorm
so that its statistics matter, and writes into OUT_DIR:
  model.pth           torch.save(model.state_dict())
  model.safetensors   the same state_dict as safetensors (F32; num_batches_tracked as I64)
  input.npy           a (BATCH, 3, SIZE, SIZE) batch
  eval.npy            eval-mode logits
  train_<head>.npy    train-mode logits of the main head ("logits") and each aux head, dropout off
  probe_<head>.npy    a fixed random tensor R per head, the shape of its logits
  stepped.safetensors the state_dict after one SGD step (momentum 0) on
                      LOSS = mean(logits * R) + AUX_WEIGHT * sum(mean(aux * R_aux)), BN in training mode.
                      A random linear probe keeps the gradient well conditioned: a loss such as mean(logits^2)
                      gives nearly the same gradient to every sample, which BN's backward pass then cancels to
                      noise (we measured 1-16 % disagreement in gradients that way, none with the probe).
  grad64.safetensors  float64 gradients of LOSS in training mode (a float64 copy of the model): float32
                      gradients through batch-statistics BN are only good to a few percent, float64 ones to 1e-12.
"""
import copy
import json
import struct
import sys

import numpy as np
import torch
import torchvision


def write_safetensors(path, state):
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        t = t.detach().contiguous()
        dtype = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def main():
    name, out, size, transform = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
    lr, aux_weight, batch = float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    torch.manual_seed(0)
    builder = {"googlenet": torchvision.models.googlenet, "inception_v3": torchvision.models.inception_v3}[name]
    model = builder(weights=None, aux_logits=True, init_weights=True, transform_input=transform)
    heads = {"googlenet": ["aux1", "aux2"], "inception_v3": ["AuxLogits"]}[name]
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.8, 1.2)
                m.bias.uniform_(-0.1, 0.1)
            if isinstance(m, torch.nn.Dropout):
                m.p = 0.0
    torch.save(model.state_dict(), f"{out}/model.pth")
    write_safetensors(f"{out}/model.safetensors", model.state_dict())

    x = torch.randn(batch, 3, size, size)
    np.save(f"{out}/input.npy", x.numpy())
    model.eval()
    with torch.no_grad():
        np.save(f"{out}/eval.npy", model(x).numpy())

    # Aux outputs are captured from the heads themselves: torchvision 0.14 returns googlenet's in swapped order.
    def run_train(net, inputs, probes):
        outputs = {}
        hooks = [getattr(net, head).register_forward_hook(
            lambda mod, inp, outp, head=head: outputs.__setitem__(head, outp)) for head in heads]
        net.train()
        logits = net(inputs)[0]
        loss = (logits * probes["logits"].to(logits.dtype)).mean()
        for head in heads:
            loss = loss + aux_weight * (outputs[head] * probes[head].to(logits.dtype)).mean()
        for h in hooks:
            h.remove()
        return logits, outputs, loss

    model64 = copy.deepcopy(model).double()
    probes = {"logits": torch.randn(batch, 1000)}
    probes.update({head: torch.randn(batch, 1000) for head in heads})
    for name, probe in probes.items():
        np.save(f"{out}/probe_{name}.npy", probe.numpy())

    _, _, loss64 = run_train(model64, x.double(), probes)
    loss64.backward()
    write_safetensors(f"{out}/grad64.safetensors", {n: p.grad for n, p in model64.named_parameters()})

    logits, outputs, loss = run_train(model, x, probes)
    np.save(f"{out}/train_logits.npy", logits.detach().numpy())
    for head in heads:
        np.save(f"{out}/train_{head}.npy", outputs[head].detach().numpy())
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.0)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    write_safetensors(f"{out}/stepped.safetensors", model.state_dict())


if __name__ == "__main__":
    main()

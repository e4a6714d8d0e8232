"""Loads an imgclass-exported resnet-small's weights into a PyTorch model with torchvision's ResNet names (the
recipe of docs/SCALING.md), checks the logits, then takes DistributedDataParallel training steps on them.
Arguments: model.onnx pixels.u8 logits.f32 rendezvous-file. Run by PyTorchContinuationTests."""
import json, sys
import numpy as np
import onnx
import torch
import torch.distributed as dist
from onnx import numpy_helper
from torch import nn

path, pixels_file, logits_file, rendezvous = sys.argv[1:5]
exported = onnx.load(path)
weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
           for t in exported.graph.initializer if t.name.startswith("layers.")}
meta = {p.key: p.value for p in exported.metadata_props}
pre = json.loads(meta["imgclass.preprocessing"])
shape = json.loads(meta["imgclass.input_shape"])
classes = json.loads(meta["imgclass.class_names"])


class BasicBlock(nn.Module):  # torchvision.models.resnet.BasicBlock's structure and names
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                           if stride != 1 or cin != cout else None)

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class SmallResNet(nn.Module):  # torchvision's ResNet names with resnet-small's 3x3 stem and [3,3,3] x [16,32,64]
    def __init__(self, channels, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        c = 16
        for stage, width in enumerate([16, 32, 64]):
            blocks = []
            for b in range(3):
                blocks.append(BasicBlock(c, width, 2 if b == 0 and stage > 0 else 1))
                c = width
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.relu(self.bn1(self.conv1(x))))))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


model = SmallResNet(shape[0], len(classes))
state = {k.removeprefix("layers.resnet."): v for k, v in weights.items() if k.startswith("layers.resnet.")}
state["fc.weight"], state["fc.bias"] = weights["layers.dense.weight"], weights["layers.dense.bias"]
missing, unexpected = model.load_state_dict(state, strict=False)
assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)

pixels = torch.from_numpy(np.fromfile(pixels_file, dtype=np.uint8).reshape(-1, *shape).astype(np.float32))
if pre["channelOrder"] == "bgr":
    pixels = pixels.flip(1)
x = pixels * pre["scale"]
if pre.get("mean"):
    x = x - torch.tensor(pre["mean"]).view(1, -1, 1, 1)
if pre.get("std"):
    x = x / torch.tensor(pre["std"]).view(1, -1, 1, 1)
model.eval()
with torch.no_grad():
    model(x).numpy().astype(np.float32).tofile(logits_file)

# Continue training: DistributedDataParallel (gloo, one process here; torchrun starts one per GPU or node).
dist.init_process_group("gloo", init_method=f"file://{rendezvous}", rank=0, world_size=1)
ddp = nn.parallel.DistributedDataParallel(model.train())
optimizer = torch.optim.SGD(ddp.parameters(), lr=0.01)
labels = torch.arange(x.shape[0]) % len(classes)
losses = []
for _ in range(3):
    loss = nn.functional.cross_entropy(ddp(x), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
dist.destroy_process_group()
print("ddp losses", " ".join(f"{l:.4f}" for l in losses))
assert all(np.isfinite(losses)) and losses[-1] < losses[0], losses

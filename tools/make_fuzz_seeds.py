#!/usr/bin/env python3
"""Writes the seed inputs of the Jazzer fuzz targets (small real files of every kind each parser reads) into
src/test/resources/.../<Target>Inputs/<method>/. Run once with Debian's python3-pil, python3-torchvision,
python3-h5py and the webp tools; the files are committed, so the build never needs Python."""
import io, json, math, os, struct, subprocess, sys, tempfile, zipfile

import h5py
import numpy as np
import torch
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "io", "github",
                    "inception4j")


def target(package, cls, method):
    d = os.path.join(ROOT, package, cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    return d


def photo(w=24, h=16):
    im = Image.new("RGB", (w, h))
    for y in range(h):
        for x in range(w):
            im.putpixel((x, y), (255 * x // (w - 1), 255 * y // (h - 1), int(128 + 100 * math.sin(x / 3.0))))
    return im


def images(d):
    im = photo()
    im.save(os.path.join(d, "rgb.png"))
    im.convert("L").save(os.path.join(d, "gray.png"))
    im.convert("P").save(os.path.join(d, "palette.png"))
    im.convert("RGBA").save(os.path.join(d, "rgba.png"))
    im.save(os.path.join(d, "baseline.jpg"), quality=80)
    im.save(os.path.join(d, "progressive.jpg"), quality=80, progressive=True)
    im.convert("CMYK").save(os.path.join(d, "cmyk.jpg"), quality=80)
    im.save(os.path.join(d, "image.gif"))
    im.save(os.path.join(d, "image.bmp"))
    im.save(os.path.join(d, "image.tiff"))
    png = os.path.join(tempfile.mkdtemp(), "src.png")
    im.save(png)
    subprocess.run(["cwebp", "-quiet", "-q", "80", png, "-o", os.path.join(d, "lossy.webp")], check=True)
    subprocess.run(["cwebp", "-quiet", "-lossless", png, "-o", os.path.join(d, "lossless.webp")], check=True)


def safetensors_bytes(tensors):
    header, data = {}, b""
    for name, a in tensors.items():
        raw = a.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


def main():
    images(target("data", "ImageDecoderFuzzTest", "decode"))
    images(target("serve", "ClassifyPathFuzzTest", "classify"))
    tensors = {"conv1.conv.weight": np.arange(2 * 3 * 2 * 2, dtype=np.float32).reshape(2, 3, 2, 2),
               "conv1.bn.running_var": np.ones(2, dtype=np.float32)}
    with open(os.path.join(target("weights", "SafetensorsFuzzTest", "read"), "small.safetensors"), "wb") as f:
        f.write(safetensors_bytes(tensors))
    d = target("weights", "NumpyFuzzTest", "read")
    np.save(os.path.join(d, "c-order.npy"), tensors["conv1.conv.weight"])
    np.save(os.path.join(d, "fortran.npy"), np.asfortranarray(tensors["conv1.conv.weight"][0]))
    np.save(os.path.join(d, "float16.npy"), np.ones((3,), dtype=np.float16))
    np.savez(os.path.join(d, "arrays.npz"), **{k.replace(".", "_"): v for k, v in tensors.items()})
    np.savez_compressed(os.path.join(d, "compressed.npz"), a=tensors["conv1.bn.running_var"])
    d = target("weights", "TorchZipFuzzTest", "read")
    sd = {k: torch.from_numpy(v) for k, v in tensors.items()}
    sd["conv1.bn.num_batches_tracked"] = torch.tensor(3)
    torch.save(sd, os.path.join(d, "state_dict.pth"))
    torch.save({k: v.half() for k, v in sd.items() if v.is_floating_point()}, os.path.join(d, "half.pth"))
    d = target("weights", "KerasH5FuzzTest", "read")
    with h5py.File(os.path.join(d, "keras.h5"), "w") as h5:
        g = h5.create_group("conv2d").create_group("conv2d")
        g.create_dataset("kernel:0", data=np.zeros((3, 3, 3, 8), dtype=np.float32))
        h5["conv2d"].attrs["weight_names"] = [b"conv2d/kernel:0"]
        b = h5.create_group("batch_normalization").create_group("batch_normalization")
        for w in ("beta:0", "moving_mean:0", "moving_variance:0"):
            b.create_dataset(w, data=np.ones(8, dtype=np.float32))
        h5["batch_normalization"].attrs["weight_names"] = [b"batch_normalization/" + w.encode()
                                                           for w in ("beta:0", "moving_mean:0", "moving_variance:0")]
        h5.attrs["layer_names"] = [b"conv2d", b"batch_normalization"]
    d = target("weights", "CheckpointMetadataFuzzTest", "read")
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                           "checkpoints", "format-1-googlenet-w025", "checkpoint.json")
    with open(fixture, "rb") as src, open(os.path.join(d, "checkpoint.json"), "wb") as dst:
        dst.write(src.read())
    detection_and_calibration()


def detection_and_calibration():
    """A VOC 2007 annotation (a difficult object, a person's part), a COCO instances file (gapped category ids, a
    crowd region) and a quantization.json (an input range below zero, ReLU ranges from zero)."""
    voc = ("<annotation>\n\t<folder>VOC2007</folder>\n\t<filename>000001.jpg</filename>\n\t<size>\n"
           "\t\t<width>353</width>\n\t\t<height>500</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<object>\n"
           "\t\t<name>dog</name>\n\t\t<pose>Left</pose>\n\t\t<truncated>1</truncated>\n\t\t<difficult>0</difficult>\n"
           "\t\t<bndbox>\n\t\t\t<xmin>48</xmin>\n\t\t\t<ymin>240</ymin>\n\t\t\t<xmax>195</xmax>\n"
           "\t\t\t<ymax>371</ymax>\n\t\t</bndbox>\n\t</object>\n\t<object>\n\t\t<name>person</name>\n"
           "\t\t<difficult>1</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>8</xmin>\n\t\t\t<ymin>12</ymin>\n"
           "\t\t\t<xmax>352</xmax>\n\t\t\t<ymax>498</ymax>\n\t\t</bndbox>\n\t\t<part>\n\t\t\t<name>head</name>\n"
           "\t\t\t<bndbox>\n\t\t\t\t<xmin>1</xmin>\n\t\t\t\t<ymin>1</ymin>\n\t\t\t\t<xmax>2</xmax>\n"
           "\t\t\t\t<ymax>2</ymax>\n\t\t\t</bndbox>\n\t\t</part>\n\t</object>\n</annotation>\n")
    with open(os.path.join(target("detect", "VocFuzzTest", "read"), "voc2007.xml"), "w") as f:
        f.write(voc)
    coco = {"images": [{"id": 397133, "file_name": "000000397133.jpg", "width": 640, "height": 427}],
            "annotations": [{"id": 1, "image_id": 397133, "category_id": 18,
                             "bbox": [388.66, 69.92, 109.41, 277.62], "area": 17376.9, "iscrowd": 0},
                            {"id": 2, "image_id": 397133, "category_id": 1, "bbox": [0, 0, 10, 20], "area": 200,
                             "iscrowd": 1}],
            "categories": [{"id": 18, "name": "dog"}, {"id": 1, "name": "person"}]}
    with open(os.path.join(target("detect", "CocoFuzzTest", "read"), "instances.json"), "w") as f:
        f.write(json.dumps(coco))
    calibration = {"method": "percentile", "images": 1000, "data": "fashion-mnist-subset",
                   "created": "2026-11-30T19:05:00Z",
                   "ranges": {"input": {"min": -1.0, "max": 1.0}, "conv1": {"min": 0.0, "max": 6.25},
                              "inception3a": {"min": 0.0, "max": 3.5}}}
    with open(os.path.join(target("onnx", "CalibrationFuzzTest", "read"), "quantization.json"), "w") as f:
        f.write(json.dumps(calibration, indent=2))


if __name__ == "__main__":
    main()

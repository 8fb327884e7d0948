#!/usr/bin/env python3
"""Checks an ONNX model written by `layernas export-model` (docs/ARCHITECTURE.md#onnx-encoding).

Runs onnx.checker (full check, with shape inference), then onnxruntime on the 10,000
Fashion-MNIST test images, normalised as the model states (pixel bytes / 255, NCHW), and compares
its logits with layernas's own (`export-model --logits`). Prints one JSON line:
  {"checker": "ok", "images": N, "argmax_agreement": f, "max_abs_logit_difference": f,
   "accuracy": f, "opset": n}
Usage: check-onnx.py MODEL.onnx LOGITS.f32 DATASET_DIR
"""
import gzip
import json
import sys

import numpy as np
import onnx
import onnxruntime


def idx(path, header):
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    return np.frombuffer(data, dtype=np.uint8, offset=header)


def main():
    model_path, logits_path, dataset = sys.argv[1:4]
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    images = idx(f"{dataset}/t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    labels = idx(f"{dataset}/t10k-labels-idx1-ubyte.gz", 8)
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    (ours,) = session.run(["logits"], {"image": images})
    theirs = np.fromfile(logits_path, dtype="<f4").reshape(ours.shape)
    print(json.dumps({
        "checker": "ok",
        "images": int(len(labels)),
        "argmax_agreement": float(np.mean(ours.argmax(axis=1) == theirs.argmax(axis=1))),
        "max_abs_logit_difference": float(np.max(np.abs(ours - theirs))),
        "accuracy": float(np.mean(ours.argmax(axis=1) == labels)),
        "opset": int(model.opset_import[0].version),
        "input_normalisation": next((p.value for p in model.metadata_props if p.key == "input_normalisation"), None),
    }))


if __name__ == "__main__":
    main()

"""Test-wide settings.

The encoder embeds in float32 during tests unless the environment says otherwise: int8 activations are scaled
per batch, so a sentence's vector (and a borderline check) could depend on which sentences a test embedded
before it in the same process.  float32 vectors do not depend on their batch, so every test sees the same
vectors in any order.  The int8 path is tested on its own (tests/test_encoder.py, tests/test_align.py).
"""

from __future__ import annotations

import os

from qa.encoder import PRECISION_ENV

os.environ.setdefault(PRECISION_ENV, "float32")

"""The judge/worker encoding carries plain data exactly and never builds foreign objects."""

import json

import numpy as np
import pytest
import torch

from tensorkata.worker import codec
from tensorkata.worker.codec import Opaque
from tensorkata.worker.functions import F


def roundtrip(value):
    return codec.decode(codec.loads(codec.dumps(codec.encode(value))))


@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, float("inf"), "text", [1, [2.0, "x"]], (1, (2, 3)), {"a": 1, 2: (3,)},
])
def test_plain_values_round_trip(value):
    assert roundtrip(value) == value
    assert type(roundtrip(value)) is type(value)


def test_nan_round_trips_as_float():
    assert np.isnan(roundtrip(float("nan")))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool", "complex128", "uint8"])
def test_numpy_arrays_keep_dtype_shape_and_bits(dtype):
    array = (np.arange(24).reshape(2, 3, 4) % 5).astype(dtype)
    back = roundtrip(array)
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_non_contiguous_and_empty_arrays():
    base = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(roundtrip(base.T), base.T)
    assert roundtrip(np.zeros((0, 3))).shape == (0, 3)


def test_numpy_scalars_keep_their_type():
    assert type(roundtrip(np.float64(1.5))) is np.float64
    assert type(roundtrip(np.int32(7))) is np.int32


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int64, torch.bool])
def test_tensors_keep_dtype_and_values(dtype):
    tensor = (torch.arange(6).reshape(2, 3) % 3).to(dtype)
    back = roundtrip(tensor)
    assert back.dtype == dtype and back.shape == tensor.shape
    assert torch.equal(back, tensor)


def test_meta_tensors_travel_as_shape_only():
    back = roundtrip(torch.empty(2, 5, device="meta", dtype=torch.float16))
    assert back.device.type == "meta" and back.shape == (2, 5) and back.dtype == torch.float16


def test_dtypes_devices_and_named_functions():
    assert roundtrip(torch.bfloat16) is torch.bfloat16
    assert roundtrip(torch.device("meta")) == torch.device("meta")
    assert roundtrip(F("sin", expect_shape=(2,))) == F("sin", expect_shape=(2,))


def test_unknown_objects_are_described_not_transported():
    class Liar:
        def __eq__(self, other):
            return True

        def __repr__(self):
            return "I am an array, trust me" * 100

    back = roundtrip(Liar())
    assert isinstance(back, Opaque) and back.type_name.endswith("Liar")
    assert len(back.text) <= codec.REPR_LIMIT
    assert back != 1


def test_subclasses_of_arrays_are_not_trusted():
    class Sneaky(np.ndarray):
        pass

    assert isinstance(roundtrip(np.zeros(3).view(Sneaky)), Opaque)


def test_object_arrays_and_unknown_tags_are_refused():
    assert isinstance(roundtrip(np.array([object()], dtype=object)), Opaque)
    with pytest.raises(ValueError):
        codec.decode({"$nd": "object", "shape": [1], "data": ""})
    with pytest.raises(ValueError):
        codec.decode(json.loads('{"$pickle": "gASV"}'))


def test_namedtuples_keep_their_name_fields_and_order():
    from collections import namedtuple

    Batch = namedtuple("Batch", ["inputs", "lengths"])
    back = roundtrip(Batch(torch.ones(2), [3, 1]))
    assert type(back).__name__ == "Batch" and back._fields == ("inputs", "lengths")
    assert torch.equal(back.inputs, torch.ones(2)) and back.lengths == [3, 1]


def test_named_functions_keep_their_checks():
    f = roundtrip(F("sin", max_rows=4))
    assert f == F("sin", max_rows=4)
    with pytest.raises(TypeError):
        f(np.zeros((5, 2)))


def test_named_functions_describe_themselves():
    assert repr(F("sin")) == "sin"
    assert repr(F("sum_of_squares", expect_shape=(2, 3), max_rows=4)) == "sum_of_squares[shape=[2, 3], max_rows=4]"

"""The optional compiled row loop of the batch kernel (everything else is in pyproject.toml).

Without a C compiler the install goes on and the kernel runs its NumPy path, which gives
the same answers more slowly."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "sanctionscope._lookups",
            ["src/sanctionscope/_lookups.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)

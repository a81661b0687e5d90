"""Installs the jsii_ring package and jsii_ring_pipeline.pth, which turns pipelining on at
interpreter start when JSII_RING_PIPELINE is set (the rest of the metadata: pyproject.toml)."""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "jsii_ring_pipeline.pth"


class BuildWithPth(build_py):
    """Copies the .pth file to the top of the build, so it lands in site-packages."""

    def run(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        self.copy_file(os.path.join(here, PTH), os.path.join(self.build_lib, PTH), preserve_mode=0)


setup(cmdclass={"build_py": BuildWithPth})

"""Imported by jsii_ring_pipeline.pth at interpreter start when JSII_RING_PIPELINE is set."""
import jsii_ring

jsii_ring.enable()

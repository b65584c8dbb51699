"""Fictional sample records, their ground truth, and the generator that makes them."""

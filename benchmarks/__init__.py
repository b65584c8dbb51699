"""Speed benchmarks (`make bench`): pages per second, memory per worker, and the practical limit."""

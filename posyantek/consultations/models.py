"""Service and consultation requests (permohonan layanan): domain.md §4.7 and §5.2."""

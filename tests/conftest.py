"""Loaded by pytest for every test run: the scan of the whole run's logs and
database files for personal numbers (``tests/personal_data_scan.py``)."""
pytest_plugins = ["tests.personal_data_scan"]

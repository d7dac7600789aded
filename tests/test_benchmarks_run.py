"""benchmarks.run says when the policybook it measures is not its checkout's."""

from __future__ import annotations

from benchmarks.run import measured_elsewhere


def test_the_checkouts_own_package_is_measured_without_a_word(tmp_path):
    (tmp_path / "checkout" / "generator").mkdir(parents=True)
    (tmp_path / "linked").symlink_to(tmp_path / "checkout" / "generator")  # how an editable install may point
    assert measured_elsewhere(tmp_path / "checkout" / "generator", tmp_path / "checkout") is None
    assert measured_elsewhere(tmp_path / "linked", tmp_path / "checkout") is None


def test_another_install_is_named_with_the_way_to_measure_this_checkout(tmp_path):
    installed = tmp_path / "venv" / "site-packages" / "policybook"
    warning = measured_elsewhere(installed, tmp_path / "checkout")
    assert str(installed) in warning and str(tmp_path / "checkout" / "generator") in warning
    assert "pip install -e ." in warning

#!/usr/bin/env python3
"""Unit tests of the arithmetic in scripts/eval-corpora (no corpus and no build needed).

    python3 scripts/eval-corpora-test.py      # or: make test-eval-script
"""
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader("eval_corpora", os.path.join(HERE, "eval-corpora"))
_spec = importlib.util.spec_from_loader("eval_corpora", _loader)
ec = importlib.util.module_from_spec(_spec)
_loader.exec_module(ec)


class Figures(unittest.TestCase):
    def test_shares(self):
        fig = ec.figures({"approve": {"spam": 5, "ham": 180}, "hold": {"spam": 15, "ham": 19},
                          "reject": {"spam": 80, "ham": 1}})
        self.assertEqual((fig["comments"], fig["spam"], fig["ham"]), (300, 100, 200))
        self.assertAlmostEqual(fig["spam_not_approved"], 95.0)
        self.assertAlmostEqual(fig["spam_rejected"], 80.0)
        self.assertAlmostEqual(fig["ham_rejected"], 0.5)
        self.assertAlmostEqual(fig["ham_held"], 9.5)
        self.assertEqual(ec.misses(fig), ["ham_held"])   # the bounds themselves are met

    def test_missing_decisions_and_no_spam(self):
        fig = ec.figures({"approve": {"ham": 4}})
        self.assertIsNone(fig["spam_not_approved"])
        self.assertIsNone(fig["spam_rejected"])
        self.assertEqual(fig["ham_rejected"], 0.0)
        self.assertEqual(ec.misses(fig), [])             # no spam: nothing to miss on spam

    def test_just_past_each_bound(self):
        fig = ec.figures({"approve": {"spam": 6, "ham": 1000}, "hold": {"spam": 15, "ham": 60},
                          "reject": {"spam": 79, "ham": 6}})
        self.assertEqual(ec.misses(fig), ["spam_not_approved", "spam_rejected", "ham_rejected", "ham_held"])


class Ordering(unittest.TestCase):
    def test_worst_first(self):
        def row(name, decisions):
            fig = ec.figures(decisions)
            return {"source": name, "figures": fig, "misses": ec.misses(fig)}
        good = row("good", {"hold": {"spam": 1}, "reject": {"spam": 9}, "approve": {"ham": 10}})
        leaky = row("leaky", {"approve": {"spam": 5, "ham": 10}, "reject": {"spam": 5}})
        worse = row("worse", {"approve": {"spam": 9, "ham": 10}, "hold": {"spam": 1}})
        self.assertEqual([r["source"] for r in ec.worst_first([good, leaky, worse])], ["worse", "leaky", "good"])


class Memorised(unittest.TestCase):
    def test_kinds(self):
        corpora = {"a": 95, "b": 5}
        self.assertEqual(ec.memorised_kind(corpora, {("a", "x"): 91, ("a", "y"): 4}, 0.9, 5), "one-source")
        self.assertEqual(ec.memorised_kind(corpora, {("a", "x"): 50, ("a", "y"): 45}, 0.9, 5), "one-corpus")
        self.assertIsNone(ec.memorised_kind({"a": 60, "b": 40}, {}, 0.9, 5))
        self.assertEqual(ec.memorised_kind({"a": 3}, {}, 0.9, 5), "few-hits")
        self.assertIsNone(ec.memorised_kind({"a": 0, "b": 0}, {}, 0.9, 5))

    def test_concentration(self):
        self.assertEqual(ec.concentration({"a": 1, "b": 3}), ("b", 0.75))
        self.assertEqual(ec.concentration({}), (None, None))


class RemoveRules(unittest.TestCase):
    TEXT = ("stage: spam\nrules:\n  - id: spam.a\n    description: A.\n    pattern: 'a'\n    examples:\n"
            "      match: [a]\n\n  - id: spam.b\n    description: B.\n    pattern: 'b'\n    score: 1\n")

    def test_removes_one_block(self):
        out = ec.remove_rules(self.TEXT, {"spam.a"})
        self.assertNotIn("spam.a", out)
        self.assertIn("  - id: spam.b\n    description: B.", out)

    def test_empty_list(self):
        out = ec.remove_rules(self.TEXT, {"spam.a", "spam.b"})
        self.assertIn("rules: []", out)
        self.assertNotIn("pattern", out)


class MissingCorpora(unittest.TestCase):
    def test_exit_66_with_a_message(self):
        missing = os.path.join(tempfile.mkdtemp(), "no-such-dir")
        for args in ([], ["--check"]):
            result = subprocess.run([sys.executable, os.path.join(HERE, "eval-corpora")] + args,
                                    env=dict(os.environ, CORPORA_DIR=missing), capture_output=True, text=True)
            self.assertEqual(result.returncode, 66)
            self.assertIn("CORPORA_DIR", result.stderr)

    def test_directory_without_csv(self):
        empty = tempfile.mkdtemp()
        result = subprocess.run([sys.executable, os.path.join(HERE, "eval-corpora"), "--check"],
                                env=dict(os.environ, CORPORA_DIR=empty), capture_output=True, text=True)
        self.assertEqual(result.returncode, 66)
        self.assertIn("no *.csv", result.stderr)


if __name__ == "__main__":
    unittest.main()

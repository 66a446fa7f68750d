"""Evaluation: run governance questions through rag's answer API and score retrieval, citations, refusals."""

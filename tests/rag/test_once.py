import threading
import time

from rag.chinese import index_words
from rag.once import load_once


def test_a_loader_first_called_from_many_threads_loads_once():
    calls = []

    @load_once
    def load(name: str) -> str:
        calls.append(name)
        time.sleep(0.2)  # a dictionary being read
        return name.upper()

    barrier, results = threading.Barrier(8), []

    def user() -> None:
        barrier.wait()
        results.append(load("jieba"))

    threads = [threading.Thread(target=user) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert calls == ["jieba"] and results == ["JIEBA"] * 8
    assert load("cedict") == "CEDICT" and calls == ["jieba", "cedict"]  # cached per argument


def test_the_chinese_segmenter_gives_the_same_words_from_threads_at_once():
    text = "发展中国家人工智能治理"
    expected = index_words(text)
    barrier, results = threading.Barrier(6), []

    def user() -> None:
        barrier.wait()
        results.append(index_words(text))

    threads = [threading.Thread(target=user) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [expected] * 6 and "国家" in expected

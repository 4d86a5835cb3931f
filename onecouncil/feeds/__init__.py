"""The feed registry: one declaration per landing feed of contracts/sources.md."""

from onecouncil.feeds.model import Column, Feed
from onecouncil.feeds.registry import FEEDS, feed_by_folder

__all__ = ["Column", "Feed", "FEEDS", "feed_by_folder"]

"""Django's Redis cache, which tells the stamps when it is emptied (core.stamp_mirror)."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache


class RedisCache(DjangoRedisCache):
    def clear(self):
        emptied = self.empty()
        # Imported here: the cache backend loads before the stamps' settings are read.
        from core import stamps

        stamps.emptied()
        return emptied

    def empty(self):
        """Delete every key (FLUSHDB): a subclass may delete fewer."""
        return super().clear()

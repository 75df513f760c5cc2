"""Django's Redis cache, with a client made once per connection pool, and which tells
the stamps when it is emptied (core.stamp_mirror)."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClients(RedisCacheClient):
    """Django's makes a ``redis.Redis`` for every command, which copies its table of
    some 170 reply handlers each time: a fifth of a millisecond a command. A client
    holds no connection of its own (its pool does), so one per pool serves every
    thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClients

    def clear(self):
        emptied = self.empty()
        # Imported here: the cache backend loads before the stamps' settings are read.
        from core import stamps

        stamps.emptied()
        return emptied

    def empty(self):
        """Delete every key (FLUSHDB): a subclass may delete fewer."""
        return super().clear()

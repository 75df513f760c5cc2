"""Django's Redis cache, with a client made once per connection pool, which tells the
stamps when it is emptied (core.stamp_mirror), and stores a value with its stamps in
one round trip (``set_after_adding``)."""

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

    def set_after_adding(self, adds, values):
        """``add()`` each of ``adds`` (a mapping, kept with no timeout), then ``set()``
        each of ``values`` (key: (value, timeout)), in one pipeline: one round trip where
        a cold page took one for each fragment and one for each of their tags' stamps
        (bench/RESULTS.md). Returns the keys of ``adds`` that were added."""
        client = self._cache.get_client(write=True)
        dumps = self._cache._serializer.dumps
        pipeline = client.pipeline(transaction=False)
        for name, added in adds.items():
            pipeline.set(self.make_and_validate_key(name), dumps(added), nx=True)
        for name, (value, timeout) in values.items():
            key, seconds = self.make_and_validate_key(name), self.get_backend_timeout(timeout)
            if seconds == 0:
                pipeline.delete(key)
            else:
                pipeline.set(key, dumps(value), ex=seconds)
        done = pipeline.execute()
        return {name for name, was_added in zip(adds, done, strict=False) if was_added}

    def clear(self):
        emptied = self.empty()
        # Imported here: the cache backend loads before the stamps' settings are read.
        from core import stamps

        stamps.emptied()
        return emptied

    def empty(self):
        """Delete every key (FLUSHDB): a subclass may delete fewer."""
        return super().clear()

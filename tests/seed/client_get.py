# Пример 1: Базовый GET-запрос (the tutorial's example; the URL comes from argv)
import aiohttp
import asyncio
import sys

async def fetch(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            print(f"Статус: {response.status}")
            print(f"Тело ответа: {await response.text()}")

asyncio.run(fetch(sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8080/get'))

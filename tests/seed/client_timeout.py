# Пример 3: Запрос с таймаутом (the tutorial's example; the URL comes from argv)
import aiohttp
import asyncio
import sys

async def fetch_with_timeout(url):
    timeout = aiohttp.ClientTimeout(total=2)  # Таймаут 2 секунды
    async with aiohttp.ClientSession(timeout=timeout) as session:
        try:
            async with session.get(url) as response:
                print(f"Статус: {response.status}")
                print(f"Тело ответа: {await response.text()}")
        except asyncio.TimeoutError:
            print("Запрос превысил время ожидания")

asyncio.run(fetch_with_timeout(sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8080/delay/5'))

# Пример 2: POST-запрос с JSON (the tutorial's example; the URL comes from argv)
import aiohttp
import asyncio
import sys

async def post_data(url, data):
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json=data) as response:
            print(f"Статус: {response.status}")
            print(f"Тело ответа: {await response.text()}")

data = {"ключ": "значение"}
asyncio.run(post_data(sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8080/post', data))

# Клиент (client_ws.py), the tutorial's example; the URL comes from argv
import aiohttp
import asyncio
import sys

async def websocket_client(url):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as ws:
            await ws.send_str("Hello, server")
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    print(f"Message from server: {msg.data}")
                    await ws.close()
                    break
                elif msg.type == aiohttp.WSMsgType.ERROR:
                    print(f'WebSocket error: {ws.exception()}')
                    break

asyncio.run(websocket_client(sys.argv[1] if len(sys.argv) > 1 else 'http://localhost:8080/ws'))

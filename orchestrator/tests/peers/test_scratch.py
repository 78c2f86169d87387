from finscribe_common.contract.templates import builtin_templates
from finscribe_orchestrator.testing.runner import completed


async def test_scratch(runner_for, llm) -> None:
    llm.status = 503
    runner = runner_for()
    template = builtin_templates()["peer_comparison"].model_dump(mode="json")
    body = runner.body("draft", "", options={"companies": ["삼성전자", "SK하이닉스"], "as_of": "2024-12-30"}, template=template)
    events = await runner.post(body)
    for e in events:
        if e[0] in ("warning", "run.failed", "step"):
            print(e)
    result = completed(events)
    print(result["markdown"])
    print([c["title"] for c in result["charts"]], [c["citations"] for c in result["charts"]])

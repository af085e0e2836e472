"""The sample workbooks, installed with the program as generator.sample_workbooks (`generate 示例` copies one)."""

import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class AssignReviewDto {
  @ApiProperty({ description: 'Who leads the review (a panel member or team)', example: 'DRD panel: J. Patel' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  assignee!: string;
}

export class ReviewFindingsDto {
  @ApiProperty({ description: 'What the panel found', example: 'Released on a Friday without a bridging prescription' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  findings!: string;

  @ApiProperty({ description: 'What should change in practice', type: [String], example: ['Same-week treatment appointment booked before release'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(20_000, { each: true })
  learningPoints!: string[];
}

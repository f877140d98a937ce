import type { WeightedTable } from '../random/random';

/**
 * Name tables. The male and female lists have the same length and share no name, so a given
 * name index means a different name for each sex. Formal names with common nicknames come
 * first, so the nickname noise has plenty to work on.
 */
export const maleGivenNames = [
  'Robert', 'William', 'Richard', 'James', 'Thomas', 'Michael', 'Anthony', 'Christopher',
  'Daniel', 'Matthew', 'Joseph', 'Edward', 'Jonathan', 'Stephen', 'Samuel', 'Alexander',
  'Benjamin', 'Nicholas', 'Andrew', 'Peter', 'David', 'Kenneth', 'Timothy', 'Gregory',
  'Frederick', 'Lawrence', 'Philip', 'Raymond', 'Ronald', 'Terence', 'Mark', 'Paul',
  'Lee', 'Craig', 'Darren', 'Wayne', 'Dean', 'Jason', 'Gary', 'Kevin', 'Ian', 'Neil',
  'Carl', 'Shaun', 'Liam', 'Ryan', 'Connor', 'Jack', 'Callum', 'Kyle', 'Jordan', 'Adam',
  'Scott', 'Stuart', 'Martin', 'Simon', 'Graham', 'Keith', 'Barry', 'Colin', 'Gavin',
  'Dale', 'Reece', 'Aaron', 'Nathan', 'Luke', 'Owen', 'Harry', 'George', 'Oliver',
  'Mohammed', 'Imran', 'Tariq', 'Kieran', 'Declan', 'Sean', 'Patrick', 'Brian', 'Tony', 'Jamal',
] as const;

export const femaleGivenNames = [
  'Elizabeth', 'Katherine', 'Margaret', 'Jennifer', 'Rebecca', 'Victoria', 'Jessica', 'Samantha',
  'Deborah', 'Susan', 'Patricia', 'Abigail', 'Catherine', 'Christine', 'Nicola', 'Stephanie',
  'Alexandra', 'Jacqueline', 'Kimberley', 'Amanda', 'Sarah', 'Emma', 'Laura', 'Claire',
  'Lisa', 'Michelle', 'Kelly', 'Donna', 'Joanne', 'Tracey', 'Karen', 'Julie', 'Helen',
  'Rachel', 'Gemma', 'Leanne', 'Natalie', 'Hayley', 'Danielle', 'Stacey', 'Amy', 'Chloe',
  'Jade', 'Kirsty', 'Charlotte', 'Louise', 'Zoe', 'Sophie', 'Hannah', 'Lauren', 'Megan',
  'Holly', 'Paula', 'Angela', 'Wendy', 'Dawn', 'Sharon', 'Carol', 'Janet', 'Lorraine',
  'Marie', 'Joanna', 'Aisha', 'Fatima', 'Shannon', 'Ellie', 'Bethany', 'Courtney', 'Toni',
  'Siobhan', 'Roisin', 'Bridget', 'Maureen', 'Theresa', 'Yvonne', 'Gillian', 'Sandra', 'Tina', 'Kerry', 'Anne',
] as const;

/** Formal given name -> the nicknames an agency may record instead. */
export const nicknames: Readonly<Record<string, readonly string[]>> = {
  Robert: ['Bob', 'Rob', 'Bobby'], William: ['Bill', 'Will', 'Billy'], Richard: ['Rick', 'Dick', 'Rich'],
  James: ['Jim', 'Jamie', 'Jimmy'], Thomas: ['Tom', 'Tommy'], Michael: ['Mike', 'Mick'],
  Anthony: ['Tony', 'Ant'], Christopher: ['Chris', 'Kit'], Daniel: ['Dan', 'Danny'],
  Matthew: ['Matt'], Joseph: ['Joe', 'Joey'], Edward: ['Ed', 'Ted', 'Eddie'], Jonathan: ['Jon', 'Jonny'],
  Stephen: ['Steve'], Samuel: ['Sam', 'Sammy'], Alexander: ['Alex', 'Al'], Benjamin: ['Ben'],
  Nicholas: ['Nick', 'Nicky'], Andrew: ['Andy', 'Drew'], Peter: ['Pete'], David: ['Dave', 'Davey'],
  Kenneth: ['Ken', 'Kenny'], Timothy: ['Tim'], Gregory: ['Greg'], Frederick: ['Fred', 'Freddie'],
  Lawrence: ['Larry'], Philip: ['Phil'], Raymond: ['Ray'], Ronald: ['Ron', 'Ronnie'], Terence: ['Terry'],
  Elizabeth: ['Liz', 'Beth', 'Lizzie'], Katherine: ['Kate', 'Kathy', 'Katie'], Margaret: ['Maggie', 'Peggy', 'Meg'],
  Jennifer: ['Jen', 'Jenny'], Rebecca: ['Becky', 'Becca'], Victoria: ['Vicky', 'Tori'], Jessica: ['Jess'],
  Samantha: ['Sam', 'Sammie'], Deborah: ['Debbie', 'Deb'], Susan: ['Sue', 'Suzy'], Patricia: ['Pat', 'Trish'],
  Abigail: ['Abby', 'Gail'], Catherine: ['Cath', 'Cathy'], Christine: ['Chris', 'Chrissy'], Nicola: ['Nicky', 'Nic'],
  Stephanie: ['Steph'], Alexandra: ['Alex', 'Lexi'], Jacqueline: ['Jackie'], Kimberley: ['Kim'], Amanda: ['Mandy'],
};

/** Surname pieces that combine into plausible English surnames (Ashford, Thornley, Whitfield...). */
export const surnameStems = [
  'Ash', 'Black', 'Brad', 'Brook', 'Chad', 'Cran', 'Dun', 'Fair', 'Green', 'Hart',
  'Hol', 'Kings', 'Lang', 'Mar', 'Mid', 'North', 'Pen', 'Ray', 'Shel', 'Stan',
  'Thorn', 'Wal', 'West', 'Whit', 'Wood', 'Bam', 'Bur', 'Cald', 'Cliff', 'Crom',
  'Dal', 'Elm', 'Fen', 'Hadd', 'Hey', 'Ing', 'Lin', 'Mill', 'Oak', 'Pick',
  'Rad', 'Rother', 'Sand', 'Small', 'Stock', 'Sut', 'Tal', 'Wake', 'Wins', 'Yard',
] as const;
export const surnameEndings = [
  'ford', 'ley', 'ton', 'worth', 'field', 'well', 'wood', 'by', 'ham', 'dale',
  'croft', 'more', 'wick', 'bridge', 'shaw', 'combe', 'ridge', 'stead', 'low', 'den',
  'hurst', 'stone', 'brook', 'cliffe', 'gate', 'land', 'ington', 'all', 'ock', 'er',
] as const;

/**
 * The most frequent surnames in England and Wales with relative frequency (per 10,000 people,
 * rounded from ONS / census counts): a steep skew that probabilistic linkage must weigh.
 */
export const commonSurnames: WeightedTable<string> = [
  ['Smith', 126], ['Jones', 75], ['Williams', 53], ['Taylor', 44], ['Brown', 43], ['Davies', 38],
  ['Evans', 33], ['Wilson', 30], ['Thomas', 29], ['Johnson', 28], ['Roberts', 28], ['Robinson', 24],
  ['Thompson', 24], ['Wright', 23], ['Walker', 23], ['White', 22], ['Edwards', 21], ['Hughes', 21],
  ['Green', 21], ['Hall', 20], ['Lewis', 20], ['Harris', 20], ['Clarke', 19], ['Patel', 19],
  ['Jackson', 18], ['Wood', 17], ['Turner', 17], ['Martin', 17], ['Cooper', 16], ['Hill', 16],
];

/** Common given names get a heavier weight than the tail, giving realistic repeats. */
export function givenNameWeights(names: readonly string[]): WeightedTable<string> {
  return names.map((name, rank) => [name, 1 / (rank + 8)] as const);
}
